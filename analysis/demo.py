"""A realistic, deterministic demo history: ``python -m analysis demo``.

The history is simulated as job applications that move through stages: each
round's questions are drawn from a bank of real interview questions, the
answers are rated with skills that grow over time in some categories and not in
others, and whether a round advances depends on how the answers went. Every
random choice comes from one NumPy generator seeded with ``seed`` and drawn in a
fixed order, and the whole simulation works on arrays (no per-row Python), so
the same seed and ``today`` give the same rows byte for byte, and 100,000
interviews take seconds. Rows go in with one ``INSERT ... SELECT`` per table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from analysis import store
from analysis.vocab import BUILTIN_CATEGORIES, FORMATS, REACTIONS, STAGES


@dataclass(frozen=True)
class DemoSummary:
    """What ``generate`` wrote."""

    interviews: int
    questions: int


# --- Vocabulary of the simulated job search ---------------------------------

# (name, industry, size, city): fictional companies, with a profile that
# becomes company notes.
COMPANIES = (
    ("Northwind Traders", "wholesale marketplace", "1,200", "Leeds"),
    ("Contoso", "B2B software", "5,000", "Dublin"),
    ("Fabrikam", "industrial IoT", "800", "Manchester"),
    ("Tailspin Toys", "toy retailer", "450", "Bristol"),
    ("Adatum", "identity and security", "300", "London"),
    ("Litware", "document collaboration", "150", "Amsterdam"),
    ("Proseware", "developer tools", "90", "Berlin"),
    ("Woodgrove Bank", "retail bank", "9,000", "Edinburgh"),
    ("Fourth Coffee", "coffee chain", "2,500", "London"),
    ("Alpine Ski House", "travel booking", "120", "Lyon"),
    ("Trey Research", "market research", "400", "Cambridge"),
    ("Wide World Importers", "logistics", "3,000", "Rotterdam"),
    ("Lucerne Publishing", "digital publishing", "600", "Zurich"),
    ("Coho Winery", "e-commerce for wine", "70", "Lisbon"),
    ("Margie's Travel", "travel agency", "250", "Barcelona"),
    ("Relecloud", "cloud hosting", "1,500", "Amsterdam"),
    ("Humongous Insurance", "insurance", "7,000", "Birmingham"),
    ("Consolidated Messenger", "parcel delivery", "4,000", "Manchester"),
    ("Quillmetric", "analytics SaaS", "60", "London"),
    ("Larkspur Health", "digital health", "350", "Copenhagen"),
    ("Tidewater Freight", "freight forwarding", "900", "Hamburg"),
    ("Brightwell Analytics", "data consultancy", "110", "Leeds"),
    ("Ferrous Labs", "materials science", "200", "Sheffield"),
    ("Pinecrest Mobility", "e-scooter sharing", "280", "Berlin"),
    ("Halcyon Bio", "biotech", "180", "Cambridge"),
    ("Orbital Grocer", "grocery delivery", "1,100", "London"),
    ("Kitewing Payments", "payments", "650", "Dublin"),
    ("Mossgate Energy", "renewable energy", "500", "Glasgow"),
    ("Saltmarsh Media", "streaming media", "320", "London"),
    ("Ironbark Robotics", "warehouse robotics", "140", "Munich"),
    ("Bluefen Insurance", "insurtech", "230", "Amsterdam"),
    ("Juniper Ledger", "accounting software", "420", "Manchester"),
    ("Cobalt Tide", "maritime data", "45", "Oslo"),
    ("Emberline Games", "mobile games", "260", "Helsinki"),
    ("Harrow & Pike", "legal tech", "95", "London"),
    ("Stillwater Climate", "climate analytics", "75", "Remote (EU)"),
    ("Lumen Parcel", "last-mile delivery", "700", "Paris"),
    ("Marigold Retail", "fashion retail", "3,500", "Milan"),
    ("Northgate Rail", "rail operator", "6,000", "York"),
    ("Quarry Street Bank", "challenger bank", "1,300", "London"),
    ("Redwing Travel", "flight search", "380", "Prague"),
    ("Sablefish Security", "cybersecurity", "210", "Tallinn"),
    ("Thistle Health", "health insurance", "2,200", "Edinburgh"),
    ("Umberfield Foods", "food manufacturing", "4,500", "Nottingham"),
    ("Vantage Loop", "ad tech", "160", "Berlin"),
    ("Westmere Property", "proptech", "130", "London"),
    ("Yarrow Learning", "edtech", "240", "Remote (EU)"),
    ("Zephyr Grid", "smart energy", "340", "Copenhagen"),
    ("Gannet Analytics", "sports analytics", "55", "Bristol"),
    ("Oakhollow Pharma", "pharmaceuticals", "8,000", "Basel"),
    ("Parchment & Co", "online stationery", "85", "Brighton"),
    ("Riverbend Telecom", "telecoms", "5,500", "Warsaw"),
)

# (role, weight, three role notes)
ROLES = (
    (
        "Data Engineer",
        3.0,
        (
            "Owns the ingestion pipelines from product databases into the warehouse.",
            "Batch pipelines in Airflow and dbt; moving some of them to streaming this year.",
            "Small team of 4 serving analysts and the ML team.",
        ),
    ),
    (
        "Senior Data Engineer",
        3.0,
        (
            "Senior IC, expected to lead the warehouse migration.",
            "Scope covers the event pipeline and the data contracts with product teams.",
            "Would mentor two junior engineers; no direct reports.",
        ),
    ),
    (
        "Analytics Engineer",
        2.0,
        (
            "dbt-heavy role sitting between data engineering and the analysts.",
            "Builds the semantic layer and the core business metrics.",
            "First analytics engineer hire; lots of greenfield modelling.",
        ),
    ),
    (
        "Data Analyst",
        1.0,
        (
            "Embedded in the commercial team, weekly reporting to leadership.",
            "SQL and Looker day to day; some experimentation analysis.",
            "Owns the pricing dashboards.",
        ),
    ),
    (
        "Backend Engineer",
        1.5,
        (
            "Python services behind the customer API; some data work.",
            "Team owns billing and the events the data team consumes.",
            "Go and Python; Postgres; on-call one week in six.",
        ),
    ),
    (
        "Machine Learning Engineer",
        1.0,
        (
            "Productionising the recommendation models; feature store from scratch.",
            "Works with two data scientists; owns model serving and monitoring.",
            "Heavy on MLOps: training pipelines, model registry, drift alerts.",
        ),
    ),
    (
        "Platform Engineer",
        1.0,
        (
            "Kubernetes and Terraform for the data platform.",
            "Owns CI/CD and the developer experience of the data teams.",
            "Infrastructure cost is a big theme this year.",
        ),
    ),
    (
        "Data Scientist",
        1.0,
        (
            "Forecasting demand for operations; Python and SQL.",
            "Experimentation platform and A/B test analysis.",
            "Mix of modelling and stakeholder work; presents to the exec team monthly.",
        ),
    ),
    (
        "Staff Data Engineer",
        0.7,
        (
            "Staff level: sets technical direction for three data teams.",
            "Expected to write the data platform strategy in the first quarter.",
            "Mostly design reviews, mentoring and the hardest migrations.",
        ),
    ),
    (
        "BI Developer",
        0.5,
        (
            "Power BI and SQL Server; moving to a cloud warehouse next year.",
            "Owns the finance reporting pack.",
            "Lots of stakeholder requests; small central BI team.",
        ),
    ),
)

ROLE_EXTRAS = (
    "Salary band shared upfront and looks fair.",
    "Hybrid, two days a week in the office.",
    "Fully remote within the EU.",
    "Reports to the Head of Data.",
    "Team of six, growing to ten this year.",
    "Budget for conferences and training.",
    "On-call rota, paid extra.",
    "Stack: Snowflake, dbt, Airflow.",
    "Stack: BigQuery, Dataform, Cloud Composer.",
    "Stack: Databricks and Delta Lake.",
    "Role was reopened after the last hire left.",
    "New role created after a funding round.",
)

COMPANY_EXTRAS = (
    "Recently raised a Series B.",
    "Profitable, no plans to raise.",
    "Had layoffs last year; ask how the team was affected.",
    "Glassdoor reviews mixed on management.",
    "Strong engineering blog.",
    "Launching in two new markets this year.",
    "Acquired by a larger group last year.",
    "Friend works there and rates it highly.",
)

CULTURE_NOTES = (
    "Remote-first and async; decisions written down in RFCs.",
    "Lots of pairing; people seemed to genuinely like each other.",
    "Felt process-heavy: three approval steps to ship a pipeline.",
    "Blameless post-mortems, shared openly.",
    "Long hours mentioned twice, which is a flag.",
    "Very meeting-light; Thursdays are no-meeting days.",
    "Engineering-led; product managers are new.",
    "Interviewers were candid about tech debt.",
    "Strong learning culture: weekly demo and reading group.",
    "Hierarchical: the manager answered for the engineers.",
    "Diverse panel; they talked about an inclusion programme.",
    "Startup pace; on-call is shared by everyone.",
    "Office buzzing, dogs allowed, hybrid is real.",
    "Quiet, focused team; everyone has been there 4+ years.",
    "Reorg last quarter; team still settling.",
    "They care about documentation and it shows.",
)

# Notes about the people: text before and after the first interviewer's first name.
PEOPLE_NOTES = (
    ("", " was friendly and asked many follow-ups."),
    ("", " seemed rushed; joined 10 minutes late."),
    ("", " would be my manager; clear about expectations."),
    ("Good rapport with ", "; we talked about football for five minutes."),
    ("", " pushed hard on the technical details, fair though."),
    ("", " took lots of notes, hard to read."),
    ("Ask ", " about the roadmap next time."),
    ("", " has been there six years and clearly loves it."),
    ("", " mentioned they are hiring two more people."),
    ("", " was very senior and a bit intimidating."),
)

QUESTIONS_TO_ASK = (
    "What does success look like in the first six months?",
    "How is on-call shared?",
    "What is the biggest challenge for the team this year?",
    "How are priorities set between teams?",
    "What does the career path look like for this role?",
    "How do you handle tech debt?",
    "What would make someone fail in this role?",
    "How is the data team perceived by the rest of the company?",
    "What is the budget for tools and training?",
    "How often do you deploy?",
    "Who are the main stakeholders?",
    "Why is the role open?",
    "How are decisions documented?",
    "What is the interview process from here?",
    "How much of the week is in meetings?",
    "What did the last person in this role move on to?",
    "How do you measure data quality?",
    "What is the team's relationship with product like?",
    "What is your remote-work policy in practice?",
    "What are the next steps and the timeline?",
)

AGENCIES = (
    "Talentbridge",
    "Northstar Search",
    "Harbor & Finch",
    "DataTalent Partners",
    "Brightpath Recruiting",
    "Kestrel Search",
    "Meridian People",
    "Signal Hire",
)

# fmt: off
FIRST_NAMES = (
    "Ana", "Ben", "Chloe", "Daniel", "Elif", "Farah", "George", "Hana", "Ibrahim", "Julia",
    "Kwame", "Laura", "Mateo", "Nadia", "Oliver", "Priya", "Quentin", "Rosa", "Sam", "Tomasz",
    "Uma", "Victor", "Wei", "Xavier", "Yara", "Zoe", "Aisha", "Bruno", "Carmen", "Dev",
    "Emma", "Finn", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Liam", "Maya", "Noah",
    "Olga", "Pablo", "Ravi", "Sofia", "Tariq", "Valentina", "Will", "Yusuf",
)

LAST_NAMES = (
    "Ruiz", "Ode", "Nguyen", "Smith", "Kowalski", "Okafor", "Patel", "Müller", "Rossi", "Jensen",
    "Haddad", "Tanaka", "O'Brien", "Silva", "Novak", "Andersson", "Chen", "Dubois", "Fischer", "García",
    "Ivanova", "Kaur", "Lindqvist", "Mensah", "Nair", "Popescu", "Quinn", "Rahman", "Schmidt", "Torres",
    "Usman", "Varga", "Walsh", "Yilmaz", "Zhang", "Bianchi", "Costa", "De Vries", "Evans", "Fernández",
    "Hughes", "Kim", "Lopez", "Murphy", "Park", "Sato", "Taylor", "Wright",
)
# fmt: on

# Interviewer kinds, and the titles each kind may have.
RECRUITER, ENGINEER, MANAGER, EXEC, PEER = range(5)
TITLES = (
    ("Talent Acquisition Partner", "Technical Recruiter", "Recruiter", "Talent Partner", "People Partner"),
    (
        "Senior Data Engineer",
        "Staff Engineer",
        "Data Engineer",
        "Software Engineer",
        "Analytics Engineer",
        "Principal Engineer",
        "Senior Backend Engineer",
        "Machine Learning Engineer",
    ),
    ("Engineering Manager", "Head of Data", "Data Engineering Manager", "Analytics Lead", "Data Platform Lead"),
    ("VP Engineering", "CTO", "Director of Data", "Chief Data Officer", "VP Data", "Co-founder"),
    ("Product Manager", "Senior Data Scientist", "Data Analyst", "Product Analyst", "Engineering Manager"),
)

# Stage sequences an application can follow, with how common each is.
PROCESSES = (
    (("recruiter screen", "technical", "onsite/panel", "final"), 3.0),
    (("recruiter screen", "phone screen", "take-home", "onsite/panel"), 2.0),
    (("phone screen", "technical", "final"), 2.0),
    (("recruiter screen", "take-home", "technical", "final"), 1.5),
    (("recruiter screen", "phone screen", "technical", "onsite/panel", "final"), 1.5),
    (("other", "recruiter screen", "technical", "final"), 0.6),
    (("recruiter screen", "other"), 0.4),
    (("phone screen", "take-home", "onsite/panel"), 1.0),
)

# --- The question bank ------------------------------------------------------

# category -> (question, difficulty, how often it comes up, a better answer draft).
# Difficulty shifts the rating; frequency makes the classic questions repeat
# across interviews, as they do in a real search.
# fmt: off
QUESTION_BANK = {
    "behavioral": (
        ("Tell me about yourself.", 0.3, 6.0, "Two-minute arc: current role and scope, one result with a number, why this role is the next step. Then stop."),
        ("Tell me about a time you disagreed with a colleague.", -0.1, 1.5, "The schema-ownership disagreement: both positions stated fairly, the trial I proposed, what we shipped, what I would do sooner."),
        ("Describe a project you're most proud of.", 0.2, 2.0, "Lead with the outcome (pipeline runtime from 6 h to 40 min), then my part, then the hardest trade-off."),
        ("Tell me about a time you failed.", -0.3, 1.5, "Own it plainly (the broken backfill), the impact, the fix, and the check I added so it cannot recur."),
        ("Describe a time you had to deliver under a tight deadline.", 0.0, 1.0, "STAR: the quarter-end deadline, what I cut from scope and who I told, the result, what I would plan differently."),
        ("Tell me about a time you influenced someone without authority.", -0.3, 1.0, "The dbt adoption story: a small pilot, showing the analysts the hours saved, then letting them drive the rollout."),
        ("Give an example of when you received difficult feedback.", -0.2, 1.0, "Feedback that my design docs were too long: the one-page summary I now write first, and how the next review went."),
        ("Tell me about a time you mentored someone.", 0.1, 0.8, "The junior who took over on-call: the pairing plan, the runbook we wrote together, and that they now lead incidents."),
        ("Describe a situation where the requirements were unclear.", -0.1, 1.0, "How I turn a vague ask into a one-page spec with the stakeholder, then deliver a thin slice first."),
        ("Tell me about a mistake you made in production.", -0.2, 1.0, "The timezone bug: detection, rollback, the customer message, and the test we added. Under two minutes."),
        ("What's your biggest weakness?", -0.4, 1.5, "A real weakness with a working fix: I over-polish, so now I timebox and share a draft for review at 70%."),
        ("Tell me about a time you had to prioritise competing requests.", 0.0, 1.0, "The impact-versus-effort table I used with both teams, and how I said no to one request with an alternative."),
        ("Describe a time you improved a process.", 0.2, 1.0, "CI for the data models: before and after (deploys weekly to daily, failed runs down 60%)."),
        ("Tell me about a conflict in your team and how it was resolved.", -0.2, 0.8, "Focus on what I did, not who was wrong: the retro I proposed, the agreement we wrote down, the follow-up."),
        ("Tell me about a time you took ownership beyond your role.", 0.0, 0.8, "The abandoned alerting setup I adopted: why it mattered, what I fixed, how I handed it over properly."),
        ("Describe a time you had to learn something quickly.", 0.2, 0.8, "Learning Kafka in two weeks for the streaming migration: resources, a toy project, the first production change."),
        ("Tell me about a time you disagreed with your manager.", -0.3, 0.8, "Disagree with data, commit once decided: the build-versus-buy discussion and how I backed the final call."),
        ("Walk me through your CV.", 0.2, 2.0, "Chronological in 90 seconds, one line per job on what changed because I was there."),
        ("Tell me about explaining something technical to a non-technical audience.", 0.0, 0.8, "The churn-model explainer for sales: one chart, one analogy, and the decision it enabled."),
        ("Describe the most difficult stakeholder situation you've handled.", -0.3, 0.8, "Three teams with different definitions of an active user: the workshop, the agreed metric, the dashboard."),
    ),
    "technical": (
        ("Design a rate limiter.", -0.4, 1.0, "Requirements first (per user or per key?), then a token bucket in Redis, then failure modes and limits."),
        ("How would you design a pipeline for late-arriving events?", -0.3, 1.2, "Event time versus processing time, watermarks, idempotent upserts keyed on the event id, a reprocessing window."),
        ("Explain the difference between a left join and an inner join.", 0.5, 1.5, "One sentence each, a two-row example, and the gotcha: a WHERE on the right table turns a left join into an inner join."),
        ("Write a SQL query to find the second-highest salary.", 0.3, 1.5, "DENSE_RANK() over salary descending, keep rank 2; mention ties and the NULL case."),
        ("How would you deduplicate a large table?", 0.0, 1.2, "ROW_NUMBER() partitioned by the business key ordered by updated_at descending, keep row 1; then make it incremental."),
        ("Explain how an index works and when it hurts.", -0.1, 1.0, "B-tree lookups versus full scans, write cost, low-selectivity columns, and why columnar stores rely on zone maps."),
        ("What happens when you type a URL into the browser?", 0.1, 0.8, "DNS, TCP and TLS handshakes, the HTTP request, the response, rendering; go deep on the part the role cares about."),
        ("Design a URL shortener.", -0.2, 0.8, "Key generation (base62 of a counter versus a hash), storage, redirects cached at the edge, analytics as an async stream."),
        ("How do you handle schema changes in a production pipeline?", -0.2, 1.2, "Contracts with producers, additive changes by default, versioned schemas in a registry, and a backfill plan."),
        ("Explain slowly changing dimensions.", 0.0, 1.0, "Type 1 versus type 2 with a customer-address example; valid_from, valid_to and a current flag."),
        ("Walk me through how you would debug a slow query.", 0.0, 1.2, "Read the plan first (scans, join order, spills), then statistics, partition pruning and data skew."),
        ("What's the difference between batch and stream processing?", 0.3, 1.2, "Latency versus completeness, state and windows in streams, and when micro-batches are enough."),
        ("How would you test a data pipeline?", -0.1, 1.2, "Unit tests on transforms, contracts on inputs, row-count and freshness checks, a staging run on sampled data."),
        ("Reverse a linked list.", 0.2, 0.6, "Iterative with three pointers (previous, current, next); state O(n) time and O(1) space before coding."),
        ("Find the two numbers in an array that sum to a target.", 0.3, 0.6, "One pass with a dict of value to index; mention the sorted two-pointer alternative."),
        ("Explain the CAP theorem.", 0.0, 0.7, "Under a partition you choose consistency or availability; one CP and one AP example and where each fits."),
        ("How does Python's GIL affect concurrency?", -0.1, 0.7, "Threads help with I/O, not CPU-bound work; processes or native code for CPU; asyncio for many sockets."),
        ("Design a system to ingest a million events per second.", -0.6, 0.7, "A partitioned log, stateless consumers scaling with partitions, batched columnar writes, backpressure."),
        ("What is idempotency and why does it matter?", 0.1, 1.0, "The same input twice gives the same result, so retries are safe. Example: MERGE on a natural key, not INSERT."),
        ("How would you model an e-commerce analytics warehouse?", -0.2, 1.0, "Star schema: order lines as the fact, customer, product and date dimensions, and the grain stated up front."),
        ("Explain window functions with an example.", 0.2, 1.2, "A running total with SUM() OVER (PARTITION BY customer ORDER BY date), contrasted with GROUP BY."),
        ("How do you ensure data quality at scale?", -0.1, 1.0, "Checks at ingestion, contracts, anomaly detection on volumes, an owner per dataset, alerts a human reads."),
        ("Walk me through your take-home solution.", 0.1, 1.0, "Assumptions first, then the design choice I would defend, then what I would do with another day."),
        ("What would you change in your take-home with more time?", 0.1, 1.0, "Two concrete improvements (tests around the parser, incremental loads) and why I left them out."),
        ("How would you partition a large table?", -0.1, 1.0, "By the most common filter (usually date); watch partition size and skew; do not over-partition small tables."),
        ("How would you build a feature store?", -0.5, 0.6, "Offline store for training, online store for serving, one definition for both, point-in-time correct joins."),
        ("What's the difference between a process and a thread?", 0.3, 0.6, "Separate versus shared memory, the cost of creating and switching, and the bugs shared state invites."),
        ("Design a notification system.", -0.4, 0.6, "Fan-out through a queue, a worker per channel, user preferences and rate limits, retries with a dead-letter queue."),
    ),
    "situational": (
        ("A pipeline you own fails the night before a board meeting. What do you do?", -0.1, 1.0, "Communicate first (who is affected, an ETA), restore the last good run, fix forward, post-mortem after."),
        ("How would you handle a stakeholder who keeps changing requirements?", 0.0, 1.0, "A short written scope, the cost of each change made visible, and a phased plan instead of a flat no."),
        ("What would you do in your first 90 days here?", 0.1, 1.5, "Listen to every stakeholder, ship a small fix in week two, then propose one improvement backed by data."),
        ("How do you handle a disagreement about a technical decision in code review?", 0.0, 1.0, "Ask for the reasoning, propose a small experiment or a decision record, escalate only if it blocks delivery."),
        ("Your manager asks for a number you think is misleading. What do you do?", -0.3, 0.8, "Explain the caveat privately with an alternative metric, then deliver both with a clear note."),
        ("Three teams need something from you this week. How do you prioritise?", -0.1, 1.0, "Make the trade-off visible: rank by impact, tell each team when, and ask my manager to break ties."),
        ("You find personal data exposed in a dataset you use. What do you do?", -0.2, 0.6, "Stop using it, report to security through the official channel at once, write down what I saw."),
        ("How would you get up to speed on a legacy codebase with no documentation?", 0.1, 0.8, "Run it locally, trace one request end to end, write the docs I wished for, add tests before changing anything."),
        ("A colleague keeps missing deadlines that block your work. What do you do?", -0.2, 0.8, "Talk to them first, privately and curiously; agree checkpoints; involve the manager only if it continues."),
        ("How would you estimate a project you've never done before?", -0.2, 0.8, "Spikes first, ranges rather than points, and a re-estimate after the first week with real data."),
        ("What would you do if you disagreed with the team's roadmap?", -0.1, 0.8, "Bring data and a concrete alternative to planning, then commit to the decision."),
        ("A dashboard shows a sudden 40% drop in sales. How do you investigate?", 0.0, 1.0, "Check the data first (freshness, tracking changes), then segment by region and channel, then ask the business."),
    ),
    "culture/motivation": (
        ("Why do you want to work here?", -0.1, 4.0, "Three specific reasons tied to their product, their data stack and the team's stage; no generic praise."),
        ("Why are you leaving your current job?", -0.1, 3.0, "Forward-looking: the scope I want next that my current role cannot offer; nothing negative about my employer."),
        ("Where do you see yourself in five years?", 0.0, 1.5, "Deeper ownership of a data platform and mentoring others, with this role as the step that gets me there."),
        ("What kind of team culture do you thrive in?", 0.2, 1.0, "Written, async decisions, blameless post-mortems, and a team that reviews each other's work kindly."),
        ("What do you know about our company?", -0.2, 2.0, "Product, customers, a recent launch or funding round, and one question that shows I read past the homepage."),
        ("What motivates you?", 0.1, 1.0, "Shipping things people use: the analysts thanking us for the faster warehouse."),
        ("How do you like to receive feedback?", 0.3, 0.8, "Early and direct, details in private; the example of changing my review style after feedback."),
        ("What are you looking for in your next role?", 0.0, 1.5, "Ownership of a platform, a strong data team to learn from, a product I care about."),
        ("How do you keep your skills current?", 0.2, 0.8, "One recent concrete thing: the streaming course and the side project I built with it."),
        ("Why this role rather than a management track?", -0.1, 0.6, "Hands-on for now; how I still lead through design reviews and mentoring."),
        ("What would your colleagues say about you?", 0.1, 0.8, "Quote real feedback from my last review: reliable under pressure, writes things down."),
        ("What are you passionate about outside work?", 0.3, 0.6, "Short and human: one hobby, one sentence on why, then back to the conversation."),
    ),
    "salary/logistics": (
        ("What are your salary expectations?", -0.3, 4.0, "A researched range anchored on the market rate for the level; ask for their band first."),
        ("What is your current salary?", -0.2, 1.5, "Deflect politely: share expectations instead, based on the role's scope and market data."),
        ("What is your notice period?", 0.4, 2.5, "State it exactly (one month, per the contract) and whether there is flexibility."),
        ("When could you start?", 0.3, 2.0, "A concrete date after the notice period, plus a week off if needed."),
        ("Are you interviewing elsewhere?", -0.2, 2.0, "Yes, at a similar stage with a couple of companies; this role is a top choice because of the platform work."),
        ("Do you need visa sponsorship?", 0.4, 1.0, "A clear yes or no with the current status and dates; no hedging."),
        ("How do you feel about three office days a week?", -0.1, 1.0, "Say honestly what works for me and ask how the team uses office days."),
        ("Would you take a lower salary for more equity?", -0.4, 0.6, "Ask for the numbers first (shares, strike price, last valuation, vesting); do not decide on the call."),
        ("Are you willing to relocate?", 0.1, 0.6, "Answer directly, with the conditions and the timing."),
        ("Do you have any other offers?", -0.3, 1.0, "Truthful about the timeline without naming figures; ask about their decision timeline."),
    ),
    "other": (
        ("Do you have any questions for us?", 0.0, 5.0, "Prepare three: the team's biggest challenge this year, how success is measured at six months, and on-call."),
        ("Is there anything else you'd like to add?", 0.2, 1.5, "A 20-second close: the fit in one sentence, and that I am keen on the next step."),
        ("How did you hear about this role?", 0.6, 1.2, "Say it plainly, and mention the referral by name if there is one."),
        ("Tell me about something you built outside of work.", 0.1, 0.8, "The home-energy dashboard: the stack, one interesting problem, what I learned."),
        ("What did you think of our product?", -0.1, 0.8, "One thing I liked, one I would improve, framed as a question to them."),
        ("How would you explain your job to a ten-year-old?", 0.1, 0.5, "I build the plumbing that moves information around so people can answer questions with it."),
    ),
}
# fmt: on

# Where in an interview a question tends to come (0 opening, 1 closing).
CATEGORY_ORDER = {
    "behavioral": 0.35,
    "technical": 0.5,
    "situational": 0.55,
    "culture/motivation": 0.25,
    "salary/logistics": 0.85,
    "other": 0.7,
}
ORDER_OVERRIDES = {
    "Tell me about yourself.": 0.0,
    "Walk me through your CV.": 0.02,
    "How did you hear about this role?": 0.05,
    "Why do you want to work here?": 0.1,
    "Walk me through your take-home solution.": 0.2,
    "Is there anything else you'd like to add?": 0.98,
    "Do you have any questions for us?": 1.0,
}

# Questions that belong to a take-home review and nowhere else.
TAKE_HOME_QUESTIONS = (
    "Walk me through your take-home solution.",
    "What would you change in your take-home with more time?",
)

# How likely each category is at each stage (order of BUILTIN_CATEGORIES).
STAGE_CATEGORY_WEIGHTS = {
    "recruiter screen": (1.0, 0.3, 0.3, 3.0, 3.0, 1.2),
    "phone screen": (1.8, 1.5, 0.7, 1.5, 0.8, 0.8),
    "technical": (0.4, 5.0, 0.6, 0.3, 0.1, 0.4),
    "take-home": (0.3, 5.0, 0.8, 0.2, 0.1, 0.5),
    "onsite/panel": (2.2, 2.5, 1.5, 0.8, 0.2, 0.5),
    "final": (2.5, 0.8, 1.2, 1.5, 1.0, 0.8),
    "other": (1.0, 1.0, 0.8, 1.5, 0.5, 1.2),
}

# Rating model per category: level 18 months ago and growth over the period.
# Practice shows in behavioral and technical answers; salary talk stays awkward.
SKILL_START = {
    "behavioral": 2.3,
    "technical": 2.5,
    "situational": 2.7,
    "culture/motivation": 3.3,
    "salary/logistics": 2.4,
    "other": 3.1,
}
SKILL_GROWTH = {
    "behavioral": 1.6,
    "technical": 1.3,
    "situational": 0.8,
    "culture/motivation": 0.3,
    "salary/logistics": 0.0,
    "other": 0.1,
}

CLARIFY = {
    "behavioral": (
        "Send the redacted post-mortem I mentioned.",
        "Confirm the team size on the migration project.",
        "Share the dashboard screenshot from the churn project.",
    ),
    "technical": (
        "Send the query plan comparison I talked about.",
        "Follow up with the benchmark numbers.",
        "Share the GitHub link to the pipeline project.",
        "Check how we actually handled late events and correct my answer.",
    ),
    "situational": (
        "Email a sketch of the rollout plan.",
        "Send the incident runbook template.",
    ),
    "culture/motivation": (
        "Send the blog post I wrote on our data platform.",
        "Reply with the two teams I would most like to meet.",
    ),
    "salary/logistics": (
        "Confirm the notice period in my contract (I said one month).",
        "Send salary expectations in writing.",
        "Check the earliest start date with my manager.",
        "Confirm visa status details with HR.",
    ),
    "other": (
        "Send references' contact details.",
        "Send the portfolio link.",
    ),
}

QUESTION_NOTES = {
    "behavioral": (
        "They asked for a second example.",
        "Rambled; lost the thread halfway.",
        "Used STAR and it landed.",
        "Follow-up on what I would do differently.",
    ),
    "technical": (
        "Follow-up: how would it scale to 10x?",
        "Ran out of time before testing.",
        "Drew the design on the whiteboard.",
        "Forgot the edge case with NULLs.",
        "They hinted at a better approach.",
    ),
    "situational": (
        "They pushed back on escalating early.",
        "Interviewer shared how they handled it.",
        "Wanted more on communication.",
    ),
    "culture/motivation": (
        "Answer sounded rehearsed.",
        "They liked the product example.",
        "Should have researched the company more.",
    ),
    "salary/logistics": (
        "Gave a number too early.",
        "They did not share their band.",
        "Recruiter said the range is flexible.",
    ),
    "other": (
        "Good conversation; ran over time.",
        "They had already read my blog.",
    ),
}

# --- Tables derived once from the vocabulary above --------------------------

_CATEGORIES = BUILTIN_CATEGORIES
_BANK = [(category, *entry) for category in _CATEGORIES for entry in QUESTION_BANK[category]]
_BANK_CATEGORY = np.array([_CATEGORIES.index(b[0]) for b in _BANK])
_BANK_DIFFICULTY = np.array([b[2] for b in _BANK])
_BANK_ORDER = np.array([ORDER_OVERRIDES.get(b[1], CATEGORY_ORDER[b[0]]) for b in _BANK])
_SKILL_START = np.array([SKILL_START[c] for c in _CATEGORIES])
_SKILL_GROWTH = np.array([SKILL_GROWTH[c] for c in _CATEGORIES])


def _stage_question_log_weights() -> np.ndarray:
    """log(probability weight) of each bank question at each stage, for Gumbel top-k sampling."""
    frequency = np.array([b[3] for b in _BANK])
    per_category = np.bincount(_BANK_CATEGORY, weights=frequency)
    weights = np.empty((len(STAGES), len(_BANK)))
    take_home = np.array([b[1] in TAKE_HOME_QUESTIONS for b in _BANK])
    for s, stage in enumerate(STAGES):
        category_weight = np.array(STAGE_CATEGORY_WEIGHTS[stage])[_BANK_CATEGORY]
        weights[s] = category_weight * frequency / per_category[_BANK_CATEGORY]
        weights[s, take_home] *= 8.0 if stage == "take-home" else 0.002
    return np.log(weights).astype(np.float32)


_STAGE_LOG_WEIGHTS = _stage_question_log_weights()

# One list of every free text a question row may carry; rows hold indexes into it.
_TEXTS: list[str] = list(REACTIONS)
_BETTER_INDEX = np.arange(len(_BANK)) + len(_TEXTS)
_TEXTS += [b[4] for b in _BANK]


def _text_block(bank: dict[str, tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """Append ``bank`` to ``_TEXTS``; return each category's first index and count."""
    starts, counts = [], []
    for category in _CATEGORIES:
        starts.append(len(_TEXTS))
        counts.append(len(bank[category]))
        _TEXTS.extend(bank[category])
    return np.array(starts), np.array(counts)


_CLARIFY_START, _CLARIFY_COUNT = _text_block(CLARIFY)
_NOTES_START, _NOTES_COUNT = _text_block(QUESTION_NOTES)

_STAGE_INDEX = {stage: i for i, stage in enumerate(STAGES)}
_MAX_ROUNDS = max(len(p) for p, _ in PROCESSES)
# Stage of each round of each process; -1 past its last round.
_PROCESS_STAGES = np.array([[_STAGE_INDEX[s] for s in p] + [-1] * (_MAX_ROUNDS - len(p)) for p, _ in PROCESSES])
_PROCESS_LENGTH = np.array([len(p) for p, _ in PROCESSES])

# Per stage (order of STAGES): format probabilities (order of FORMATS), mean
# question count, interviewers (minimum, extra up to), pass-rate bias.
_FORMAT_P = np.array(
    [
        (0.45, 0.55, 0.0),
        (0.3, 0.7, 0.0),
        (0.85, 0.0, 0.15),
        (0.85, 0.0, 0.15),
        (0.4, 0.0, 0.6),
        (0.5, 0.0, 0.5),
        (0.4, 0.2, 0.4),
    ]
)
_MEAN_QUESTIONS = np.array([6.5, 8.0, 9.5, 8.5, 11.5, 9.0, 7.0])
_INTERVIEWERS_MIN = np.array([1, 1, 1, 1, 2, 1, 0])
_INTERVIEWERS_EXTRA = np.array([0, 0, 1, 1, 2, 1, 1])
_PASS_BIAS = np.array([0.9, 0.5, 0.0, 0.1, -0.1, -0.3, 0.6])

SPAN_DAYS = 548  # about 18 months
_EPOCH = dt.date(1970, 1, 1)
_DAY_US = 86_400_000_000
_MINUTE_US = 60_000_000


def _weights(values) -> np.ndarray:
    w = np.asarray(values, dtype=float)
    return w / w.sum()


def _pick(rng: np.random.Generator, options: tuple, size: int) -> np.ndarray:
    """Uniform random indexes into ``options``."""
    return rng.integers(0, len(options), size)


def _weekday_forward(days: np.ndarray) -> np.ndarray:
    """Move Saturdays and Sundays to a weekday of the week after: people rarely interview at weekends.

    Spreading them over the week (by a hash of the day) keeps Mondays from
    collecting every weekend's rounds and decisions.
    """
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    return np.where(weekday >= 5, days + 7 - weekday + (days * 7919) % 5, days)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# --- Simulation ---------------------------------------------------------------


def _applications(rng: np.random.Generator, count: int, today: int) -> dict[str, np.ndarray]:
    """Draw ``count`` job applications: company, role, process, recruiter, start day."""
    company_w = _weights(1.0 / np.arange(1, len(COMPANIES) + 1) ** 0.4)
    company = rng.permutation(len(COMPANIES))[rng.choice(len(COMPANIES), count, p=company_w)]
    role = rng.choice(len(ROLES), count, p=_weights([r[1] for r in ROLES]))
    process = rng.choice(len(PROCESSES), count, p=_weights([p[1] for p in PROCESSES]))
    # A steady search, busier in the last four months.
    recent = rng.random(count) < 0.3
    back = np.where(recent, rng.integers(1, 120, count), rng.integers(1, SPAN_DAYS, count))
    return {
        "company": company,
        "role": role,
        "process": process,
        "start": _weekday_forward(today - back),
        "recruiter_kind": rng.choice(3, count, p=[0.3, 0.5, 0.2]),  # none, agency, in-house
        "agency": _pick(rng, AGENCIES, count),
        "recruiter_first": _pick(rng, FIRST_NAMES, count),
        "recruiter_last": _pick(rng, LAST_NAMES, count),
        "manager_first": _pick(rng, FIRST_NAMES, count),
        "manager_last": _pick(rng, LAST_NAMES, count),
        "manager_title": _pick(rng, TITLES[MANAGER], count),
    }


def _questions(rng: np.random.Generator, stage: np.ndarray, when: np.ndarray) -> dict[str, np.ndarray]:
    """Questions for interviews at ``stage`` held at ``when`` (0 = 18 months ago, 1 = today)."""
    n = len(stage)
    count = np.clip(np.rint(_MEAN_QUESTIONS[stage] + rng.normal(0.0, 1.8, n)), 3, 13).astype(np.int64)
    # Gumbel top-k: the first k of the perturbed log weights are a weighted
    # sample of k distinct questions.
    noise = -np.log(-np.log(rng.random((n, len(_BANK)), dtype=np.float32) * 0.99999 + 0.000005))
    scores = _STAGE_LOG_WEIGHTS[stage] + noise
    top = np.argpartition(-scores, 13, axis=1)[:, :13]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1), axis=1)
    keep = np.arange(13) < count[:, None]
    interview = np.repeat(np.arange(n), count)
    bank = top[keep]
    # Interviews open with introductions and close with logistics.
    order = np.lexsort((_BANK_ORDER[bank] + rng.random(len(bank)) * 0.15, interview))
    bank = bank[order]
    starts = np.repeat(np.cumsum(count) - count, count)
    position = np.arange(len(bank)) - starts + 1

    category = _BANK_CATEGORY[bank]
    form = rng.normal(0.0, 0.45, n)  # a good or bad day moves every answer
    level = (
        _SKILL_START[category] + _SKILL_GROWTH[category] * when[interview] + _BANK_DIFFICULTY[bank] + form[interview]
    )
    rating = np.clip(np.rint(level + rng.normal(0.0, 0.75, len(bank))), 1, 5).astype(np.int8)
    rating[rng.random(len(bank)) < 0.02] = 0  # not rated

    # What the interviewer seemed to think follows the rating, loosely.
    felt = rating + rng.normal(0.0, 0.9, len(bank))
    reaction = np.where(felt >= 3.9, 0, np.where(felt < 2.4, 2, 1))
    reaction = np.where(rng.random(len(bank)) < 0.08, 3, reaction)
    reaction = np.where((rng.random(len(bank)) < 0.12) | (rating == 0), -1, reaction)

    u = rng.random(len(bank))
    clarify_p = np.where(category == _CATEGORIES.index("salary/logistics"), 0.12, np.where(rating <= 3, 0.08, 0.03))
    clarify = np.where(
        u < clarify_p, _CLARIFY_START[category] + (u / clarify_p * _CLARIFY_COUNT[category]).astype(int), -1
    )
    u = rng.random(len(bank))
    better_p = np.where((rating >= 1) & (rating <= 2), 0.85, np.where(rating == 3, 0.08, 0.0))
    better = np.where(u < better_p, _BETTER_INDEX[bank], -1)
    u = rng.random(len(bank))
    notes = np.where(u < 0.08, _NOTES_START[category] + (u / 0.08 * _NOTES_COUNT[category]).astype(int), -1)

    rated = rating > 0
    sums = np.bincount(interview, weights=np.where(rated, rating, 0), minlength=n)
    rated_count = np.bincount(interview, weights=rated, minlength=n)
    mean = np.where(rated_count > 0, sums / np.maximum(rated_count, 1), 3.0)
    return {
        "interview": interview,
        "position": position,
        "bank": bank,
        "rating": rating,
        "reaction": reaction,
        "clarify": clarify,
        "better": better,
        "notes": notes,
        "mean": mean,
    }


def _rounds(rng: np.random.Generator, apps: dict[str, np.ndarray], today: int) -> tuple[dict, dict]:
    """Play each application's rounds until it stops advancing or reaches today.

    Returns the rounds (one entry per array, ordered by depth then application)
    and their questions, whose ``interview`` indexes the rounds.
    """
    rounds: list[dict] = []
    questions: list[dict] = []
    offset = 0
    active = np.arange(len(apps["start"]))
    day = apps["start"].copy()
    for depth in range(_MAX_ROUNDS):
        process = apps["process"][active]
        stage = _PROCESS_STAGES[process, depth]
        ok = (stage >= 0) & (day < today)
        active, day, stage, process = active[ok], day[ok], stage[ok], process[ok]
        n = len(active)
        if n == 0:
            break
        when = np.clip(1.0 - (today - day) / SPAN_DAYS, 0.0, 1.0)
        q = _questions(rng, stage, when)

        last = depth == _PROCESS_LENGTH[process] - 1
        passed = rng.random(n) < _sigmoid(2.2 * (q["mean"] - 3.3) + _PASS_BIAS[stage])
        early = stage <= _STAGE_INDEX["phone screen"]
        ghosted = rng.random(n) < np.where(early, 0.3, 0.12)
        withdrew = rng.random(n) < 0.04
        outcome = np.where(passed, np.where(last, "offer", "advanced"), np.where(ghosted, "no response", "rejected"))
        outcome = np.where(withdrew, "withdrew", outcome).astype(object)
        lag = np.select(
            [outcome == "advanced", outcome == "offer", outcome == "rejected", outcome == "no response"],
            [rng.integers(1, 8, n), rng.integers(2, 10, n), rng.integers(2, 15, n), rng.integers(21, 36, n)],
            rng.integers(1, 6, n),
        )
        decided = _weekday_forward(day + lag)
        # A decision that would come today or later has not come yet.
        pending = decided >= today
        outcome[pending] = "pending"
        decided = np.where(pending, -1, decided)

        q["interview"] = q["interview"] + offset
        questions.append(q)
        rounds.append({"app": active, "depth": np.full(n, depth), "stage": stage, "day": day})
        rounds[-1].update(outcome=outcome, decided=decided)
        offset += n

        go_on = outcome == "advanced"
        gap = np.where(stage == _STAGE_INDEX["recruiter screen"], rng.integers(2, 9, n), rng.integers(3, 12, n))
        active, day = active[go_on], _weekday_forward(decided[go_on] + gap[go_on])
    return _concat(rounds), _concat(questions)


def _concat(parts: list[dict]) -> dict[str, np.ndarray]:
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def _interview_details(rng: np.random.Generator, r: dict, apps: dict) -> dict[str, np.ndarray]:
    """Time, format, recruiter, notes and bookkeeping columns for the rounds ``r``."""
    n = len(r["day"])
    app = r["app"]
    stage = r["stage"]
    first = r["depth"] == 0

    slots = np.arange(8 * 60 + 30, 17 * 60 + 31, 15)
    slot_w = _weights(1.0 + np.exp(-(((slots - 13 * 60) / 150.0) ** 2)))
    minute = np.where(rng.random(n) < 0.9, rng.choice(slots, n, p=slot_w), -1)
    cumulative = np.cumsum(_FORMAT_P[stage], axis=1)
    fmt = np.array(FORMATS, dtype=object)[(rng.random(n)[:, None] > cumulative).sum(axis=1).clip(0, 2)]

    first_names = np.array(FIRST_NAMES, dtype=object)
    last_names = np.array(LAST_NAMES, dtype=object)
    kind = apps["recruiter_kind"][app]
    person = first_names[apps["recruiter_first"][app]] + " " + last_names[apps["recruiter_last"][app]]
    agency = np.array(AGENCIES, dtype=object)[apps["agency"][app]]
    recruiter = np.where(kind == 1, agency + ": " + person, np.where(kind == 2, "In-house: " + person, None))

    role = apps["role"][app]
    company = apps["company"][app]
    role_notes_table = np.array([r_[2] for r_ in ROLES], dtype=object)
    role_notes = role_notes_table[role, rng.integers(0, role_notes_table.shape[1], n)]
    role_notes = role_notes + np.where(
        rng.random(n) < 0.6, " " + np.array(ROLE_EXTRAS, dtype=object)[_pick(rng, ROLE_EXTRAS, n)], ""
    )
    role_notes = np.where(rng.random(n) < np.where(first, 0.55, 0.12), role_notes, None)

    profiles = np.array(
        [f"{c[1].capitalize()}, about {c[2]} people, based in {c[3]}." for c in COMPANIES], dtype=object
    )
    company_notes = profiles[company] + np.where(
        rng.random(n) < 0.5, " " + np.array(COMPANY_EXTRAS, dtype=object)[_pick(rng, COMPANY_EXTRAS, n)], ""
    )
    company_notes = np.where(rng.random(n) < np.where(first, 0.5, 0.1), company_notes, None)

    culture = np.array(CULTURE_NOTES, dtype=object)
    a = _pick(rng, CULTURE_NOTES, n)
    b = (a + rng.integers(1, len(CULTURE_NOTES), n)) % len(CULTURE_NOTES)
    culture_notes = culture[a] + np.where(rng.random(n) < 0.35, " " + culture[b], "")
    culture_notes = np.where(rng.random(n) < 0.25, culture_notes, None)

    ask = np.array(QUESTIONS_TO_ASK, dtype=object)
    a = _pick(rng, QUESTIONS_TO_ASK, n)
    b = (a + rng.integers(1, 7, n)) % len(ask)
    c = (b + rng.integers(1, 7, n)) % len(ask)
    to_ask = ask[a] + "\n" + ask[b] + np.where(rng.random(n) < 0.5, "\n" + ask[c], "")
    to_ask = np.where(rng.random(n) < np.where(first, 0.45, 0.3), to_ask, None)

    # Logged a few hours after the interview; updated again when the decision came.
    start_minute = np.where(minute >= 0, minute, 18 * 60)
    created = r["day"] * _DAY_US + (start_minute + rng.integers(45, 240, n)) * _MINUTE_US
    decided = r["decided"] >= 0
    updated = np.where(decided, r["decided"] * _DAY_US + rng.integers(9 * 60, 21 * 60, n) * _MINUTE_US, created)
    return {
        "company": np.array([c[0] for c in COMPANIES], dtype=object)[company],
        "role": np.array([r_[0] for r_ in ROLES], dtype=object)[role],
        "minute": minute,
        "format": fmt,
        "recruiter": recruiter,
        "role_notes": role_notes,
        "company_notes": company_notes,
        "culture_notes": culture_notes,
        "questions_to_ask": to_ask,
        "revision": np.where(decided, 2, 1),
        "created_us": created,
        "updated_us": updated,
    }


def _interviewers(rng: np.random.Generator, r: dict, apps: dict) -> dict[str, np.ndarray]:
    """Who interviewed in each round: recruiters at screens, panels onsite, the hiring manager throughout."""
    n = len(r["day"])
    stage = r["stage"]
    count = _INTERVIEWERS_MIN[stage] + rng.integers(0, _INTERVIEWERS_EXTRA[stage] + 1)
    count[rng.random(n) < 0.06] = 0  # not written down
    row = np.repeat(np.arange(n), count)
    position = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count) + 1
    s = stage[row]
    u = rng.random(len(row))
    is_stage = {name: s == i for name, i in _STAGE_INDEX.items()}
    kind = np.select(
        [
            is_stage["recruiter screen"],
            is_stage["phone screen"] & (u < 0.6),
            is_stage["take-home"] & (position == 2) & (u < 0.5),
            is_stage["onsite/panel"] & (position == 1),
            is_stage["onsite/panel"] & (u < 0.25),
            is_stage["final"] & (position == 1) & (u < 0.55),
            is_stage["final"] & (position == 1),
            is_stage["final"],
            is_stage["other"] & (u < 0.5),
        ],
        [RECRUITER, MANAGER, MANAGER, MANAGER, PEER, EXEC, MANAGER, MANAGER, MANAGER],
        ENGINEER,
    )
    # Two managers in one final round would be the same person twice.
    if len(row):
        previous_kind = np.concatenate([[-1], kind[:-1]])
        kind = np.where(is_stage["final"] & (position == 2) & (previous_kind == MANAGER), EXEC, kind)

    app = r["app"][row]
    first = _pick(rng, FIRST_NAMES, len(row))
    last = _pick(rng, LAST_NAMES, len(row))
    manager = kind == MANAGER
    # The in-house recruiter named on the application runs its screen.
    own_recruiter = (kind == RECRUITER) & (apps["recruiter_kind"][app] == 2)
    first = np.select([manager, own_recruiter], [apps["manager_first"][app], apps["recruiter_first"][app]], first)
    last = np.select([manager, own_recruiter], [apps["manager_last"][app], apps["recruiter_last"][app]], last)
    name = np.array(FIRST_NAMES, dtype=object)[first] + " " + np.array(LAST_NAMES, dtype=object)[last]

    title_index = rng.integers(0, 1 << 30, len(row))
    title = np.empty(len(row), dtype=object)
    for k, titles in enumerate(TITLES):
        chosen = kind == k
        title[chosen] = np.array(titles, dtype=object)[title_index[chosen] % len(titles)]
    title[manager] = np.array(TITLES[MANAGER], dtype=object)[apps["manager_title"][app[manager]]]
    title[rng.random(len(row)) < 0.08] = None

    # People notes need a name, so they are made here, from the first interviewer.
    firsts = position == 1
    template = _pick(rng, PEOPLE_NOTES, int(firsts.sum()))
    before = np.array([p[0] for p in PEOPLE_NOTES], dtype=object)[template]
    after = np.array([p[1] for p in PEOPLE_NOTES], dtype=object)[template]
    people_notes = np.full(n, None, dtype=object)
    note = before + np.array(FIRST_NAMES, dtype=object)[first[firsts]] + after
    people_notes[row[firsts]] = np.where(rng.random(len(note)) < 0.35, note, None)
    return {"row": row, "position": position, "name": name, "title": title, "people_notes": people_notes}


def _simulate(count: int, seed: int, today: int) -> tuple[dict, dict, dict]:
    """Exactly ``count`` interviews (with details), their questions and interviewers.

    Rounds come back in the order ids are given: by date, time, then application.
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    batches = []
    total = 0
    while total < count:
        # An application yields about two rounds; draw more until there are enough.
        apps = _applications(rng, max(16, (count - total) * 3 // 5 + 16), today)
        r, q = _rounds(rng, apps, today)
        batches.append((apps, r, q))
        total += len(r["day"])

    # Whole applications in drawing order, cut at ``count`` rounds.
    rounds, questions, app_base, round_base = [], [], 0, 0
    for apps, r, q in batches:
        by_app = np.lexsort((r["depth"], r["app"]))
        rank = np.empty_like(by_app)
        rank[by_app] = np.arange(len(by_app))
        r = {k: v[by_app] for k, v in r.items()}
        q = dict(q, interview=rank[q["interview"]] + round_base)
        r["global_app"] = r["app"] + app_base
        rounds.append(r)
        questions.append(q)
        app_base += len(apps["start"])
        round_base += len(by_app)
    r = _concat(rounds)
    q = _concat(questions)
    del q["mean"]
    r = {k: v[:count] for k, v in r.items()}
    q = {k: v[q["interview"] < count] for k, v in q.items()}

    # Details need each round's application, which lives in its batch.
    all_apps = {k: np.concatenate([b[0][k] for b in batches]) for k in batches[0][0]}
    r["app"] = r["global_app"]
    details = _interview_details(rng, r, all_apps)
    people = _interviewers(rng, r, all_apps)
    r.update(details)
    r["people_notes"] = people.pop("people_notes")

    # Ids follow the calendar, as they would for someone logging as they go.
    order = np.lexsort((r["depth"], r["app"], r["minute"], r["day"]))
    new_index = np.empty_like(order)
    new_index[order] = np.arange(count)
    r = {k: v[order] for k, v in r.items()}
    q["interview"] = new_index[q["interview"]]
    people["row"] = new_index[people["row"]]
    q_order = np.lexsort((q["position"], q["interview"]))
    q = {k: v[q_order] for k, v in q.items()}
    p_order = np.lexsort((people["position"], people["row"]))
    people = {k: v[p_order] for k, v in people.items()}
    return r, q, people


# --- Writing ------------------------------------------------------------------


def _database_name(con: duckdb.DuckDBPyConnection) -> str:
    (path,) = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return str(Path(path).resolve()) if path else ":memory:"


def _reserve_ids(con: duckdb.DuckDBPyConnection, sequence: str, count: int) -> np.ndarray:
    """Take ``count`` values from ``sequence``, smallest first, so the app's later inserts never collide."""
    if count == 0:
        return np.empty(0, dtype=np.int64)
    values = con.execute("SELECT nextval(?) AS id FROM range(?)", [sequence, count]).fetchnumpy()["id"]
    return np.sort(np.asarray(values, dtype=np.int64))


_INSERT_INTERVIEWS = """
    INSERT INTO interviews (id, company, role, interview_date, interview_time, stage, format, recruiter,
                            outcome, decided_on, role_notes, company_notes, people_notes, culture_notes,
                            questions_to_ask, revision, created_at, updated_at)
    SELECT id, company, role, DATE '1970-01-01' + day,
           CASE WHEN minute >= 0 THEN make_time(minute // 60, minute % 60, 0) END,
           stage, format, recruiter, outcome,
           CASE WHEN decided >= 0 THEN DATE '1970-01-01' + decided END,
           role_notes, company_notes, people_notes, culture_notes, questions_to_ask, revision,
           make_timestamp(created_us), make_timestamp(updated_us)
    FROM _demo_interviews ORDER BY id
"""

_INSERT_QUESTIONS = """
    INSERT INTO questions (id, interview_id, position, question, category, rating, reaction, clarify,
                           better_answer, notes)
    SELECT g.id, g.interview_id, g.position, b.question, b.category, nullif(g.rating, 0),
           r.text, c.text, a.text, n.text
    FROM _demo_questions g
    JOIN _demo_bank b ON b.idx = g.bank
    LEFT JOIN _demo_texts r ON r.idx = g.reaction
    LEFT JOIN _demo_texts c ON c.idx = g.clarify
    LEFT JOIN _demo_texts a ON a.idx = g.better
    LEFT JOIN _demo_texts n ON n.idx = g.notes
    ORDER BY g.id
"""

_INSERT_INTERVIEWERS = """
    INSERT INTO interviewers (interview_id, position, name, title)
    SELECT interview_id, position, name, title FROM _demo_interviewers ORDER BY interview_id, position
"""


def _write(con: duckdb.DuckDBPyConnection, r: dict, q: dict, people: dict) -> None:
    interview_ids = _reserve_ids(con, "interview_id_seq", len(r["day"]))
    question_ids = _reserve_ids(con, "question_id_seq", len(q["bank"]))
    frames = {
        "_demo_interviews": pd.DataFrame(
            {
                "id": interview_ids,
                "company": r["company"],
                "role": r["role"],
                # DuckDB adds INTEGER, not BIGINT, days to a DATE.
                "day": r["day"].astype(np.int32),
                "minute": r["minute"].astype(np.int32),
                "stage": np.array(STAGES, dtype=object)[r["stage"]],
                **{k: r[k] for k in ("format", "recruiter", "outcome")},
                "decided": r["decided"].astype(np.int32),
                **{k: r[k] for k in ("role_notes", "company_notes", "people_notes", "culture_notes")},
                **{k: r[k] for k in ("questions_to_ask", "revision", "created_us", "updated_us")},
            }
        ),
        "_demo_questions": pd.DataFrame(
            {
                "id": question_ids,
                "interview_id": interview_ids[q["interview"]],
                "position": q["position"].astype(np.int32),
                **{k: q[k] for k in ("bank", "rating", "reaction", "clarify", "better", "notes")},
            }
        ),
        "_demo_bank": pd.DataFrame(
            {"idx": np.arange(len(_BANK)), "question": [b[1] for b in _BANK], "category": [b[0] for b in _BANK]}
        ),
        "_demo_texts": pd.DataFrame({"idx": np.arange(len(_TEXTS)), "text": _TEXTS}),
        "_demo_interviewers": pd.DataFrame(
            {
                "interview_id": interview_ids[people["row"]],
                "position": people["position"].astype(np.int32),
                "name": people["name"],
                "title": people["title"],
            }
        ),
    }
    # Registered inside the caller's transaction: a rollback drops them too.
    for name, frame in frames.items():
        con.register(name, frame)
    con.execute(_INSERT_INTERVIEWS)
    con.execute(_INSERT_QUESTIONS)
    con.execute(_INSERT_INTERVIEWERS)
    for name in frames:
        con.unregister(name)


# The demo candidate is diligent: for interviews more than three days old every
# follow-up step is done; the last three days are part done, so "Due now" shows
# a realistic handful. Deterministic: driven by the interview id and date only.
_FOLLOW_THROUGH = """
INSERT INTO followups (interview_id, contact, channel, follow_up_on, decision_expected_on,
                       feedback_requested_on, thank_you_sent_at, linkedin_sent_at)
SELECT i.id,
       coalesce(p.name, i.recruiter, 'the hiring manager'),
       CASE WHEN i.recruiter IS NOT NULL THEN 'through the recruiter' ELSE 'email' END,
       i.interview_date + 5,
       i.interview_date + 7,
       CASE WHEN age > 3 OR i.id % 3 = 0 THEN i.interview_date + 1 END,
       CASE WHEN age > 3 OR (age >= 1 AND i.id % 2 = 0)
            THEN i.interview_date + coalesce(i.interview_time, TIME '17:00') + INTERVAL 20 HOUR END,
       CASE WHEN age > 3 THEN i.interview_date + coalesce(i.interview_time, TIME '17:00') + INTERVAL 30 HOUR END
FROM (SELECT *, $today - interview_date AS age FROM interviews) i
LEFT JOIN interviewers p ON p.interview_id = i.id AND p.position = 1
WHERE i.age > 3 OR i.id % 4 <> 0
"""
_FOLLOW_THROUGH_TICKS = """
INSERT INTO followup_ticks (interview_id, item, ticked_at)
SELECT i.id, item, i.interview_date + coalesce(i.interview_time, TIME '17:00') + INTERVAL 6 HOUR
FROM interviews i, (VALUES ('review'), ('notes')) AS items(item)
WHERE $today - i.interview_date > 3
"""

_CLARIFIED = """
UPDATE questions SET clarified_on = i.interview_date + 1
FROM interviews i
WHERE questions.interview_id = i.id AND questions.clarify IS NOT NULL AND $today - i.interview_date > 3
"""


def generate(
    con: duckdb.DuckDBPyConnection,
    interviews: int = 400,
    seed: int = 7,
    today: dt.date | None = None,
    *,
    replace: bool = False,
) -> DemoSummary:
    """Write a demo history of ``interviews`` interviews in the 18 months before ``today``.

    The same ``seed`` (a non-negative integer) and ``today`` give the same rows.
    The database must hold no interviews, unless it is already a demo database
    and ``replace`` is true, in which case its rows are replaced. Everything is
    written in one transaction and the database is marked as demo data.
    Raises ``store.StoreError`` when the database holds other interviews.
    """
    if interviews < 1:
        raise ValueError(f"interviews must be at least 1, not {interviews}")
    today = today or dt.date.today()
    con.execute("BEGIN TRANSACTION")
    try:
        (existing,) = con.execute("SELECT count(*) FROM interviews").fetchone()
        if existing and not (replace and store.is_demo(con)):
            held = f"{existing:,} {'interview' if existing == 1 else 'interviews'}"
            if store.is_demo(con):
                raise store.StoreError(
                    f"{_database_name(con)} already holds {held} of demo data; pass --replace to write a new "
                    "demo history over them, or use --db to name another file."
                )
            raise store.StoreError(
                f"{_database_name(con)} already holds {held}; demo data is only written to an empty database, "
                "so it never mixes with your own records. Use --db to name another file."
            )
        rounds, questions, people = _simulate(interviews, seed, (today - _EPOCH).days)
        if existing:
            con.execute("DELETE FROM questions")
            con.execute("DELETE FROM interviewers")
            con.execute("DELETE FROM interviews")
        if existing:
            con.execute("DELETE FROM followup_ticks")
            con.execute("DELETE FROM followups")
        _write(con, rounds, questions, people)
        con.execute(_FOLLOW_THROUGH, {"today": today})
        con.execute(_FOLLOW_THROUGH_TICKS, {"today": today})
        con.execute(_CLARIFIED, {"today": today})
        store.set_setting(con, "demo", "true")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    store.checkpoint(con)
    store.bump_version(con)
    return DemoSummary(interviews=len(rounds["day"]), questions=len(questions["bank"]))


# --- Command line -------------------------------------------------------------


def _whole_number(minimum: int):
    """An argparse type: a whole number no smaller than ``minimum``, else a usage error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m analysis demo``."""
    parser.add_argument(
        "--interviews", type=_whole_number(1), default=400, metavar="N", help="how many interviews (default: 400)"
    )
    parser.add_argument(
        "--seed", type=_whole_number(0), default=7, help="random seed; the same seed gives the same data (default: 7)"
    )
    parser.add_argument(
        "--replace", action="store_true", help="replace the rows of a database that already holds demo data"
    )


def run(args: argparse.Namespace) -> int:
    """Write the demo history and say what was written."""
    path = store.database_path(args.db)
    con = store.connect(args.db).cursor()
    try:
        started = time.perf_counter()
        summary = generate(con, interviews=args.interviews, seed=args.seed, replace=args.replace)
        elapsed = time.perf_counter() - started
    finally:
        con.close()
    print(
        f"Wrote {summary.interviews:,} demo interviews with {summary.questions:,} questions to {path} in {elapsed:.1f} s"
    )
    return 0
