"""The made-up world of the demo history: companies, roles, people, hiring processes and a question bank.

Data only: ``analysis.demo`` draws from these tables to simulate a job search.
Every name and company here is fictional.
"""

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

# --- The story bank -----------------------------------------------------------

# (title, situation, task, action, result, competencies). A story is told in
# answers of the question categories among its competencies, at any company,
# so the same stories come back across companies as they do in a real search.
STORIES = (
    (
        "Kafka migration",
        "Nightly batch loads were 6 hours late twice a week.",
        "Move the order events to streaming without a freeze.",
        "Ran both pipelines side by side for a month and moved 40 topics one by one.",
        "Data fresh within 5 minutes; the late-load incidents stopped.",
        ("technical", "ownership"),
    ),
    (
        "Broken backfill",
        "A backfill I ran overwrote a week of revenue figures.",
        "Restore the numbers and make sure it could not happen again.",
        "Told my manager within the hour, restored from snapshots, added a dry-run check.",
        "Fixed the same day; the check has caught two bad backfills since.",
        ("behavioral", "accountability"),
    ),
    (
        "Schema-ownership disagreement",
        "Product and data disagreed on who owns event schemas.",
        "Get to a decision both teams would keep.",
        "Wrote both positions down fairly and proposed a one-quarter trial of data contracts.",
        "Contracts adopted by 5 teams; schema breakages down by two thirds.",
        ("behavioral", "situational", "influence"),
    ),
    (
        "Mentoring the new on-call",
        "A junior engineer joined the on-call rota after two months.",
        "Get them confident enough to lead incidents.",
        "Paired on every page for three weeks and wrote the runbook together.",
        "They now lead incidents and trained the next joiner.",
        ("behavioral", "leadership"),
    ),
    (
        "Quarter-end deadline",
        "Finance needed a new revenue report a week before quarter end.",
        "Deliver something correct in time.",
        "Cut scope to the three numbers they needed and told them what was left out.",
        "Shipped on time; the rest followed in the next sprint.",
        ("situational", "prioritisation"),
    ),
    (
        "Warehouse cost cut",
        "Warehouse spend had doubled in a year.",
        "Halve it without slowing the analysts down.",
        "Found the ten most expensive queries, added clustering and incremental models.",
        "Spend down 45 %, dashboards faster.",
        ("technical", "situational", "ownership"),
    ),
    (
        "dbt rollout",
        "Analysts kept copies of the same SQL in twenty notebooks.",
        "Move them to shared, tested models.",
        "Ran a small pilot, showed the hours saved, let the analysts drive the rollout.",
        "All core metrics in dbt within a quarter.",
        ("behavioral", "influence", "technical"),
    ),
    (
        "Why data platforms",
        "Moved from backend work to data after building a reporting service.",
        "Explain what draws me to platform work.",
        "Tell the reporting-service story and what I learnt from its users.",
        "A clear thread from past work to this role.",
        ("culture/motivation",),
    ),
    (
        "Unclear churn request",
        "Sales asked for 'a churn dashboard' with no definition of churn.",
        "Find out what they actually needed.",
        "Wrote a one-page spec with them and delivered a thin first slice in a week.",
        "The first slice answered their question; the full dashboard was never needed.",
        ("situational", "communication"),
    ),
)
