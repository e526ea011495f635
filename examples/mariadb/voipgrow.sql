-- Voipgrow B.V.: the example operator's database for MariaDB (10.3 or later), the same tables,
-- columns, constraints and rows as examples/voipgrow.sql (tests/e2e/mariadb_example.sh
-- compares them).
--
--   mariadb -e 'CREATE DATABASE voipgrow CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
--   mariadb voipgrow < examples/mariadb/voipgrow.sql
--
-- Column types are the SQLite file's as far as MariaDB allows: integers are INT, text is TEXT,
-- and dates stay text in ISO 8601, so that an export of the example gives the same package on
-- every database. Every table is InnoDB in utf8mb4 (utf8mb4_unicode_ci). What differs:
--   - a text column in a key or an index is VARCHAR(n): MariaDB indexes TEXT only by a prefix;
--   - every `id` is AUTO_INCREMENT: SQLite numbers an INTEGER PRIMARY KEY itself;
--   - call_records is RANGE COLUMNS-partitioned by month of started_at, as operators keep call
--     detail records: a partition pYYYY_MM for every month that holds calls, and partitions for
--     the months between and around them (MariaDB has no DEFAULT partition for a range; they
--     stay empty in the example). Its primary key is (id, started_at), because MariaDB needs
--     the partition column in every unique key;
--   - MariaDB allows no foreign key on a partitioned InnoDB table, in either direction, so
--     call_records.subscription_id and call_recordings.call_record_id have none; both stay
--     NOT NULL and call_record_id UNIQUE, as in the SQLite file;
--   - InnoDB indexes the columns of every foreign key: subscriptions.product,
--     disputes.customer_id and credit_checks.customer_id get an index SQLite does not have;
--   - the generated rows come from the same recursive CTEs, with MariaDB's date and string
--     functions in place of SQLite's date(), strftime(), printf() and ||, and DIV for SQLite's
--     integer division. Their ids are numbered in the statement (ROW_NUMBER() after the
--     highest id so far), in the order SQLite inserts them: InnoDB may leave gaps between the
--     AUTO_INCREMENT ids of an INSERT ... SELECT;
--   - there is no PRAGMA: InnoDB always enforces foreign keys, and schema_migrations holds the
--     schema version (SQLite's user_version 7).
-- MariaDB commits before and after every CREATE TABLE, so the tables are made first and the
-- rows then go in as one transaction: a failed load leaves the tables without rows.
--
-- Deterministic: fixed dates only (the data ends on 2026-11-20), no RAND() and no NOW(); all
-- names, numbers, addresses and IBANs are invented. The customers the tests rely on are
-- described at the top of examples/voipgrow.sql.

SET NAMES utf8mb4;
-- Standard string literals and errors, not warnings, for values that do not fit.
SET SESSION sql_mode =
  'STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO';
SET SESSION default_storage_engine = InnoDB;

-- ---------------------------------------------------------------------------------------
-- Tables without personal data (the data map ignores them).

CREATE TABLE schema_migrations (
  version    INT NOT NULL PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_on TEXT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE products (
  id                INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code              VARCHAR(32) NOT NULL UNIQUE,
  name              TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('fixed', 'mobile', 'internet', 'add-on')),
  monthly_fee_cents INT NOT NULL CHECK (monthly_fee_cents >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- ---------------------------------------------------------------------------------------
-- The data subject: the customer account (seed 2.1: bedrijfsnaam, KvK-nummer,
-- NAW-gegevens, e-mailadres, mobiel/vast nummer, betaalgegevens, contactpersoon).

CREATE TABLE customers (
  id                 INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_number    VARCHAR(16) NOT NULL UNIQUE,  -- 'C-0001': the number customers know
  company_name       TEXT,                         -- NULL for a private customer
  kvk_number         VARCHAR(16),                  -- Kamer van Koophandel; branches share one
  contact_first_name TEXT,
  contact_last_name  TEXT NOT NULL,
  email              VARCHAR(254) NOT NULL UNIQUE,
  phone              VARCHAR(32) NOT NULL,         -- E.164
  street             TEXT,
  postal_code        TEXT,
  city               TEXT,
  iban               TEXT,                         -- direct debit mandate
  sector             TEXT,
  status             TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
  created_on         TEXT NOT NULL,
  closed_on          TEXT,                         -- NULL while the account is active
  legal_hold         INT NOT NULL DEFAULT 0 CHECK (legal_hold IN (0, 1))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX customers_phone ON customers (phone);
CREATE INDEX customers_kvk ON customers (kvk_number);

CREATE TABLE subscriptions (
  id           INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id  INT NOT NULL,
  product      VARCHAR(32) NOT NULL,
  phone_number VARCHAR(32),                      -- E.164; NULL for internet and add-ons
  started_on   TEXT NOT NULL,
  ended_on     TEXT,
  FOREIGN KEY (customer_id) REFERENCES customers (id),
  FOREIGN KEY (product) REFERENCES products (code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX subscriptions_customer ON subscriptions (customer_id);
CREATE INDEX subscriptions_phone ON subscriptions (phone_number);

-- Call detail records (verkeersgegevens). caller_number is always the number of the
-- customer's own line, callee_number always the other party; direction says who called.
-- Partitioned by month: a partition pYYYY_MM for every month that holds calls, and for the
-- rest p_older (before 2017), p2017_10_to_2022_10, p2023_05_to_2024_10 and p_newer (from
-- 2026-12), all empty in the example. No foreign key: see the top.
CREATE TABLE call_records (
  id              INT NOT NULL AUTO_INCREMENT,
  subscription_id INT NOT NULL,
  started_at      VARCHAR(19) NOT NULL,          -- ISO 8601, 'YYYY-MM-DDTHH:MM:SS', UTC
  duration_s      INT NOT NULL CHECK (duration_s >= 0),
  direction       TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  caller_number   TEXT NOT NULL,
  callee_number   TEXT NOT NULL,
  cost_cents      INT NOT NULL DEFAULT 0,
  PRIMARY KEY (id, started_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
PARTITION BY RANGE COLUMNS (started_at) (
  PARTITION p_older VALUES LESS THAN ('2017-01-01'),
  PARTITION p2017_01 VALUES LESS THAN ('2017-02-01'),
  PARTITION p2017_02 VALUES LESS THAN ('2017-03-01'),
  PARTITION p2017_03 VALUES LESS THAN ('2017-04-01'),
  PARTITION p2017_04 VALUES LESS THAN ('2017-05-01'),
  PARTITION p2017_05 VALUES LESS THAN ('2017-06-01'),
  PARTITION p2017_06 VALUES LESS THAN ('2017-07-01'),
  PARTITION p2017_07 VALUES LESS THAN ('2017-08-01'),
  PARTITION p2017_08 VALUES LESS THAN ('2017-09-01'),
  PARTITION p2017_09 VALUES LESS THAN ('2017-10-01'),
  PARTITION p2017_10_to_2022_10 VALUES LESS THAN ('2022-11-01'),
  PARTITION p2022_11 VALUES LESS THAN ('2022-12-01'),
  PARTITION p2022_12 VALUES LESS THAN ('2023-01-01'),
  PARTITION p2023_01 VALUES LESS THAN ('2023-02-01'),
  PARTITION p2023_02 VALUES LESS THAN ('2023-03-01'),
  PARTITION p2023_03 VALUES LESS THAN ('2023-04-01'),
  PARTITION p2023_04 VALUES LESS THAN ('2023-05-01'),
  PARTITION p2023_05_to_2024_10 VALUES LESS THAN ('2024-11-01'),
  PARTITION p2024_11 VALUES LESS THAN ('2024-12-01'),
  PARTITION p2024_12 VALUES LESS THAN ('2025-01-01'),
  PARTITION p2025_01 VALUES LESS THAN ('2025-02-01'),
  PARTITION p2025_02 VALUES LESS THAN ('2025-03-01'),
  PARTITION p2025_03 VALUES LESS THAN ('2025-04-01'),
  PARTITION p2025_04 VALUES LESS THAN ('2025-05-01'),
  PARTITION p2025_05 VALUES LESS THAN ('2025-06-01'),
  PARTITION p2025_06 VALUES LESS THAN ('2025-07-01'),
  PARTITION p2025_07 VALUES LESS THAN ('2025-08-01'),
  PARTITION p2025_08 VALUES LESS THAN ('2025-09-01'),
  PARTITION p2025_09 VALUES LESS THAN ('2025-10-01'),
  PARTITION p2025_10 VALUES LESS THAN ('2025-11-01'),
  PARTITION p2025_11 VALUES LESS THAN ('2025-12-01'),
  PARTITION p2025_12 VALUES LESS THAN ('2026-01-01'),
  PARTITION p2026_01 VALUES LESS THAN ('2026-02-01'),
  PARTITION p2026_02 VALUES LESS THAN ('2026-03-01'),
  PARTITION p2026_03 VALUES LESS THAN ('2026-04-01'),
  PARTITION p2026_04 VALUES LESS THAN ('2026-05-01'),
  PARTITION p2026_05 VALUES LESS THAN ('2026-06-01'),
  PARTITION p2026_06 VALUES LESS THAN ('2026-07-01'),
  PARTITION p2026_07 VALUES LESS THAN ('2026-08-01'),
  PARTITION p2026_08 VALUES LESS THAN ('2026-09-01'),
  PARTITION p2026_09 VALUES LESS THAN ('2026-10-01'),
  PARTITION p2026_10 VALUES LESS THAN ('2026-11-01'),
  PARTITION p2026_11 VALUES LESS THAN ('2026-12-01'),
  PARTITION p_newer VALUES LESS THAN (MAXVALUE)
);
CREATE INDEX call_records_subscription ON call_records (subscription_id, started_at);
CREATE INDEX call_records_started ON call_records (started_at);

-- Call content (verzonden gegevens): recordings the customer ordered. The customer is the
-- controller, Voipgrow the processor, VoIPGRID B.V. the sub-processor.
-- call_record_id has no foreign key: MariaDB cannot reference a partitioned table. It stays
-- NOT NULL and UNIQUE, as in the SQLite file.
CREATE TABLE call_recordings (
  id             INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  call_record_id INT NOT NULL UNIQUE,
  storage_uri    VARCHAR(255) NOT NULL UNIQUE,
  created_at     TEXT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE invoices (
  id              INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id     INT NOT NULL,
  invoice_number  VARCHAR(32) NOT NULL UNIQUE,
  issued_on       VARCHAR(10) NOT NULL,
  due_on          TEXT NOT NULL,
  amount_cents    INT NOT NULL,
  billing_name    TEXT NOT NULL,
  billing_address TEXT NOT NULL,
  vat_number      TEXT,
  FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX invoices_customer ON invoices (customer_id, issued_on);

CREATE TABLE payments (
  id           INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  invoice_id   INT NOT NULL,
  paid_on      TEXT NOT NULL,
  amount_cents INT NOT NULL,
  iban         TEXT,
  method       TEXT NOT NULL CHECK (method IN ('incasso', 'overboeking', 'ideal', 'incassobureau')),
  FOREIGN KEY (invoice_id) REFERENCES invoices (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX payments_invoice ON payments (invoice_id);

CREATE TABLE support_tickets (
  id          INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id INT NOT NULL,
  opened_at   TEXT NOT NULL,
  closed_at   TEXT,                              -- NULL while open
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX support_tickets_customer ON support_tickets (customer_id);

CREATE TABLE consents (
  id           INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id  INT NOT NULL,
  purpose      VARCHAR(255) NOT NULL,
  given_at     VARCHAR(19) NOT NULL,
  withdrawn_at TEXT,
  UNIQUE (customer_id, purpose, given_at),
  FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The customer's own contact list, shared by the mobile app (seed 2.3): other people's data.
CREATE TABLE app_contacts (
  id             INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id    INT NOT NULL,
  contact_name   TEXT NOT NULL,
  contact_number TEXT NOT NULL,
  synced_at      TEXT NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX app_contacts_customer ON app_contacts (customer_id);

CREATE TABLE portal_logins (
  id           INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id  INT NOT NULL,
  logged_in_at VARCHAR(19) NOT NULL,
  ip_address   TEXT NOT NULL,
  user_agent   TEXT,
  FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX portal_logins_customer ON portal_logins (customer_id, logged_in_at);

-- Disputes (seed: "Geschillen"): an open one holds everything of the customer.
CREATE TABLE disputes (
  id          INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id INT NOT NULL,
  opened_on   TEXT NOT NULL,
  resolved_on TEXT,                              -- NULL while open
  description TEXT NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Credit checks (seed 3.1: "Kredietwaardigheid"); the data comes from a credit agency and
-- the outcome is decided automatically from the score.
CREATE TABLE credit_checks (
  id          INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id INT NOT NULL,
  checked_on  TEXT NOT NULL,
  agency      TEXT NOT NULL,
  score       INT,
  outcome     TEXT NOT NULL CHECK (outcome IN ('approved', 'deposit', 'rejected')),
  FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

START TRANSACTION;

-- ---------------------------------------------------------------------------------------
-- Reference data.

INSERT INTO schema_migrations (version, name, applied_on) VALUES
  (1, 'customers and subscriptions', '2012-01-09'),
  (2, 'call records', '2012-01-09'),
  (3, 'invoices and payments', '2012-03-12'),
  (4, 'support tickets and consents', '2016-04-18'),
  (5, 'portal logins and app contacts', '2018-05-22'),
  (6, 'disputes and credit checks', '2019-01-07'),
  (7, 'call recordings', '2026-06-15');

INSERT INTO products (id, code, name, kind, monthly_fee_cents) VALUES
  (1, 'VAST-HOSTED', 'Hosted vaste telefonie', 'fixed', 1495),
  (2, 'MOBIEL-ZAKELIJK', 'Zakelijk mobiel onbeperkt', 'mobile', 2250),
  (3, 'MOBIEL-PRIVE', 'Mobiel sim-only', 'mobile', 1250),
  (4, 'INTERNET-GLASVEZEL', 'Zakelijk glasvezel 1 Gbit/s', 'internet', 6900),
  (5, 'GESPREKSOPNAME', 'Gespreksopname (opslag 3 maanden)', 'add-on', 995);

-- ---------------------------------------------------------------------------------------
-- Customers.

INSERT INTO customers (id, customer_number, company_name, kvk_number, contact_first_name,
                       contact_last_name, email, phone, street, postal_code, city, iban, sector,
                       status, created_on, closed_on, legal_hold) VALUES
  (1, 'C-0001', 'Haverkamp Installatietechniek B.V.', '68750412', 'Roos', 'Haverkamp-Dijkstra',
   'roos.haverkamp@haverkamp-installatie.example', '+31201234567', 'Transformatorweg 104',
   '1014 AK', 'Amsterdam', 'NL14INGB0004825615', 'Installatietechniek', 'active',
   '2019-03-14', NULL, 0),
  (2, 'C-0002', 'Bloemenhuis Zwanenburg', '31047725', 'Gerrit', 'Zwanenburg',
   'gerrit@bloemenhuis-zwanenburg.example', '+31252417733', 'Heereweg 219b', '2161 BG', 'Lisse',
   'NL97RABO0311447752', 'Detailhandel', 'inactive', '2013-05-02', '2017-06-30', 0),
  (3, 'C-0003', 'Transportbedrijf Okkerse & Zn. B.V.', '24311987', 'Marleen', 'Okkerse',
   'm.okkerse@okkerse-transport.example', '+31104569871', 'Waalhaven Oostzijde 88', '3087 BM',
   'Rotterdam', 'NL04ABNA0417733219', 'Transport en logistiek', 'inactive', '2012-02-01',
   '2017-09-30', 1),
  (4, 'C-0004', 'Studio Vermeulen Architecten B.V.', '59120394', 'Thijmen', 'Brouwer-Akkerman',
   'thijmen.brouwer@studio-vermeulen.example', '+31302314455', 'Oudegracht 301', '3511 PA',
   'Utrecht', 'NL12TRIO0198765432', 'Architectuur', 'inactive', '2020-05-11', '2023-04-30', 0),
  (5, 'C-0005', NULL, NULL, 'Yara', 'Kooistra-Mulder', 'yara.kooistra@mailbox.example',
   '+31615243342', 'Ommelanderstraat 14', '9714 BG', 'Groningen', 'NL64BUNQ2045183967', NULL,
   'active', '2025-09-08', NULL, 0),
  (6, 'C-0006', 'Tandartsenpraktijk Smile Haarlem B.V.', '77421036', 'Sanne', 'IJzerman',
   'noord@smile-haarlem.example', '+31235432100', 'Rijksstraatweg 77', '2024 DA', 'Haarlem',
   'NL38RABO0147258369', 'Zorg', 'active', '2024-02-12', NULL, 0),
  (7, 'C-0007', 'Bakkerij De Gouden Korenschoof', '85529033', 'Willemijn', 'Schoonderwoerd',
   'willemijn@goudenkorenschoof.example', '+31182519944', 'Lange Tiendeweg 52', '2801 KH',
   'Gouda', 'NL06SNSB0912837465', 'Horeca en food', 'active', '2026-01-19', NULL, 0),
  (8, 'C-0008', 'Koeltechniek Brabant B.V.', '17094455', 'Hasan', 'Yıldırım',
   'h.yildirim@koeltechniek-brabant.example', '+31407891234', 'Hurksestraat 19', '5652 AH',
   'Eindhoven', 'NL34INGB0006932871', 'Installatietechniek', 'active', '2022-06-20', NULL, 0),
  (9, 'C-0009', 'Café Het Zwaantje', '40451218', 'Cornelis', 'Blokland',
   'kees@hetzwaantje.example', '+31715123987', 'Nieuwe Rijn 33', '2312 JE', 'Leiden',
   'NL27KNAB0255761938', 'Horeca en food', 'inactive', '2021-04-06', '2026-02-28', 0),
  (10, 'C-0010', 'Tandartsenpraktijk Smile Haarlem B.V.', '77421036', 'Bram', 'Tjong-A-Hung',
   'zuid@smile-haarlem.example', '+31235432200', 'Schipholweg 310', '2034 LS', 'Haarlem',
   'NL49RABO0362218804', 'Zorg', 'active', '2025-06-02', NULL, 0);

INSERT INTO subscriptions (id, customer_id, product, phone_number, started_on, ended_on) VALUES
  (1, 1, 'VAST-HOSTED', '+31201234567', '2019-03-15', NULL),
  (2, 1, 'MOBIEL-ZAKELIJK', '+31611223344', '2019-03-15', NULL),
  (3, 1, 'MOBIEL-ZAKELIJK', '+31622334455', '2021-09-01', NULL),
  (4, 1, 'MOBIEL-ZAKELIJK', '+31633445566', '2020-02-01', '2024-12-31'),
  (5, 1, 'INTERNET-GLASVEZEL', NULL, '2022-10-03', NULL),
  (6, 1, 'GESPREKSOPNAME', NULL, '2026-07-01', NULL),
  (7, 2, 'VAST-HOSTED', '+31252417733', '2013-05-02', '2017-06-30'),
  (8, 2, 'MOBIEL-ZAKELIJK', '+31655443322', '2014-03-01', '2017-06-30'),
  (9, 3, 'VAST-HOSTED', '+31104569871', '2012-02-01', '2017-09-30'),
  (10, 3, 'MOBIEL-ZAKELIJK', '+31644556677', '2012-02-01', '2017-09-30'),
  (11, 3, 'GESPREKSOPNAME', NULL, '2016-01-04', '2017-09-30'),
  (12, 4, 'VAST-HOSTED', '+31302314455', '2020-05-11', '2023-04-30'),
  (13, 4, 'MOBIEL-ZAKELIJK', '+31677889900', '2020-05-11', '2023-04-30'),
  (14, 5, 'MOBIEL-PRIVE', '+31615243342', '2025-09-08', NULL),
  (15, 6, 'VAST-HOSTED', '+31235432100', '2024-02-12', NULL),
  (16, 6, 'MOBIEL-ZAKELIJK', '+31687654321', '2024-02-12', NULL),
  (17, 7, 'VAST-HOSTED', '+31182519944', '2026-01-19', NULL),
  (18, 8, 'VAST-HOSTED', '+31407891234', '2022-06-20', NULL),
  (19, 8, 'MOBIEL-ZAKELIJK', '+31698765432', '2022-06-20', NULL),
  (20, 9, 'VAST-HOSTED', '+31715123987', '2021-04-06', '2026-02-28'),
  (21, 10, 'VAST-HOSTED', '+31235432200', '2025-06-02', NULL),
  (22, 8, 'GESPREKSOPNAME', NULL, '2026-07-01', NULL);

-- ---------------------------------------------------------------------------------------
-- Call detail records.

-- C-0001: every day from 2024-11-21 to 2026-11-20; the business grows, so weekdays carry
-- from 2 up to 12 calls a day, weekends at most one. Spread over the lines 1, 2 and 3
-- (line 4 only until it ended on 2024-12-31).
SET @last_id = (SELECT COALESCE(MAX(id), 0) FROM call_records);
INSERT INTO call_records (id, subscription_id, started_at, duration_s, direction, caller_number,
                          callee_number, cost_cents)
WITH RECURSIVE
  days(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM days WHERE d < 729),
  slots(s) AS (SELECT 0 UNION ALL SELECT s + 1 FROM slots WHERE s < 12),
  calls AS (
    SELECT d, s, DATE_FORMAT(DATE '2024-11-21' + INTERVAL d DAY, '%Y-%m-%d') AS day,
           (d * 31 + s * 17) % 97 AS h
    FROM days, slots
    WHERE s < CASE
                WHEN DAYOFWEEK(DATE '2024-11-21' + INTERVAL d DAY) IN (1, 7)
                  THEN d % 2
                ELSE 2 + (10 * d * d) DIV (729 * 729)
              END),
  shaped AS (
    SELECT d, s, day, h,
           CASE
             WHEN day <= '2024-12-31' AND h % 5 = 4 THEN 4
             WHEN h % 5 IN (0, 1, 2) THEN 1
             WHEN h % 5 = 3 THEN 2
             ELSE 3
           END AS sub,
           CASE WHEN (d + s) % 3 = 0 THEN 'inbound' ELSE 'outbound' END AS direction,
           10 + (d * 97 + s * 61) % 840 AS duration_s,
           CASE
             WHEN d = 405 AND s = 0 THEN '112'
             WHEN h % 4 = 0
               THEN CONCAT('+316', LPAD(41000000 + ((d * 53 + s * 7) % 40) * 2711, 8, '0'))
             WHEN h % 4 = 1
               THEN CONCAT('+3130', LPAD(2100000 + ((d * 11 + s * 3) % 25) * 4391, 7, '0'))
             ELSE CONCAT('+3120', LPAD(6000000 + ((d * 37 + s * 11) % 60) * 1013, 7, '0'))
           END AS other
    FROM calls),
  records AS (
    SELECT sh.sub,
           CONCAT(sh.day, 'T',
                  TIME_FORMAT(MAKETIME(7 + (sh.d * 7 + sh.s * 5) % 11, (sh.d * 13 + sh.s * 29) % 60,
                                       (sh.d * 31 + sh.s * 17) % 60), '%H:%i:%s')) AS started_at,
           sh.duration_s,
           CASE WHEN sh.other = '112' THEN 'outbound' ELSE sh.direction END AS direction,
           sub.phone_number, sh.other,
           CASE
             WHEN sh.other = '112' OR sh.direction = 'inbound' THEN 0
             WHEN sh.other LIKE '+316%' THEN (sh.duration_s DIV 60 + 1) * 6
             ELSE (sh.duration_s DIV 60 + 1) * 2
           END AS cost_cents
    FROM shaped sh JOIN subscriptions sub ON sub.id = sh.sub)
SELECT @last_id + ROW_NUMBER() OVER (ORDER BY started_at, sub), r.*
FROM records r
ORDER BY started_at, sub;

-- Everyone else: calls on each voice line within a window per customer (recent for active
-- customers, the last months before closing for closed ones).
SET @last_id = (SELECT COALESCE(MAX(id), 0) FROM call_records);
INSERT INTO call_records (id, subscription_id, started_at, duration_s, direction, caller_number,
                          callee_number, cost_cents)
WITH RECURSIVE
  windows(subscription_id, first_day, last_day, per_day) AS (VALUES
    (7, '2017-01-02', '2017-06-29', 2), (8, '2017-01-02', '2017-06-29', 1),
    (9, '2017-03-01', '2017-09-29', 3), (10, '2017-03-01', '2017-09-29', 2),
    (12, '2022-11-01', '2023-04-28', 2), (13, '2022-11-01', '2023-04-28', 1),
    (14, '2026-06-01', '2026-11-20', 2),
    (15, '2026-05-25', '2026-11-20', 4), (16, '2026-05-25', '2026-11-20', 2),
    (17, '2026-05-25', '2026-11-20', 3),
    (18, '2025-10-01', '2026-11-20', 2), (19, '2025-10-01', '2026-11-20', 1),
    (20, '2025-12-01', '2026-02-27', 2),
    (21, '2026-05-25', '2026-11-20', 3)),
  days(subscription_id, day, n, per_day, last_day) AS (
    SELECT subscription_id, first_day, 0, per_day, last_day FROM windows
    UNION ALL
    SELECT subscription_id, DATE_FORMAT(day + INTERVAL 1 DAY, '%Y-%m-%d'), n + 1, per_day,
           last_day
    FROM days
    WHERE day < last_day),
  slots(s) AS (SELECT 0 UNION ALL SELECT s + 1 FROM slots WHERE s < 5),
  calls AS (
    SELECT d.subscription_id, d.day, d.n, s.s,
           (d.n * 29 + s.s * 13 + d.subscription_id * 7) % 101 AS h
    FROM days d, slots s
    WHERE DAYOFWEEK(d.day) NOT IN (1, 7)
      AND s.s < d.per_day + (d.n % 2)),
  shaped AS (
    SELECT subscription_id, day, n, s, h,
           CASE WHEN h % 3 = 0 THEN 'inbound' ELSE 'outbound' END AS direction,
           5 + (n * 89 + s * 47 + subscription_id) % 1100 AS duration_s,
           CASE
             WHEN h % 4 = 0
               THEN CONCAT('+316', LPAD(52000000 + ((n * 17 + s) % 30) * 3119, 8, '0'))
             ELSE CONCAT('+3170', LPAD(3000000 + ((n * 23 + s * 5) % 45) * 2029, 7, '0'))
           END AS other
    FROM calls),
  records AS (
    SELECT sh.subscription_id,
           CONCAT(sh.day, 'T',
                  TIME_FORMAT(MAKETIME(8 + (sh.n * 5 + sh.s * 3 + sh.subscription_id) % 10,
                                       (sh.n * 19 + sh.s * 23 + sh.subscription_id * 7) % 60,
                                       (sh.n * 41 + sh.s * 7 + sh.subscription_id * 13) % 60),
                              '%H:%i:%s')) AS started_at,
           sh.duration_s, sh.direction, sub.phone_number, sh.other,
           CASE
             WHEN sh.direction = 'inbound' THEN 0
             WHEN sh.other LIKE '+316%' THEN (sh.duration_s DIV 60 + 1) * 6
             ELSE (sh.duration_s DIV 60 + 1) * 2
           END AS cost_cents
    FROM shaped sh JOIN subscriptions sub ON sub.id = sh.subscription_id)
SELECT @last_id + ROW_NUMBER() OVER (ORDER BY started_at, subscription_id), r.*
FROM records r
ORDER BY started_at, subscription_id;

-- Call recordings: C-0001 and C-0008 record part of their fixed-line calls since the
-- add-on started on 2026-07-01; C-0003 recorded in 2017 (kept under its legal hold).
INSERT INTO call_recordings (id, call_record_id, storage_uri, created_at)
SELECT ROW_NUMBER() OVER (ORDER BY cr.id), cr.id,
       CONCAT('s3://voipgrid-recordings-ams/', c.customer_number, '/', SUBSTR(cr.started_at, 1, 7),
              '/', LPAD(cr.id, 8, '0'), '.opus'),
       DATE_FORMAT(CAST(cr.started_at AS DATETIME) + INTERVAL (cr.duration_s + 2) SECOND,
                   '%Y-%m-%dT%H:%i:%s')
FROM call_records cr
  JOIN subscriptions sub ON sub.id = cr.subscription_id
  JOIN customers c ON c.id = sub.customer_id
WHERE ((sub.id IN (1, 18) AND cr.started_at >= '2026-07-01') OR
       (sub.id = 9 AND cr.started_at >= '2017-06-01'))
  AND cr.id % 4 = 0
  AND cr.callee_number <> '112'
ORDER BY cr.id;

-- ---------------------------------------------------------------------------------------
-- Invoices: one a month from the month after the account opened, up to 2026-11-01 or the
-- month after closing. C-0004 was invoiced at its P.O. box.

INSERT INTO invoices (id, customer_id, invoice_number, issued_on, due_on, amount_cents,
                      billing_name, billing_address, vat_number)
WITH RECURSIVE months(customer_id, issued_on, last_on, k) AS (
  SELECT id, DATE_FORMAT(DATE_FORMAT(created_on, '%Y-%m-01') + INTERVAL 1 MONTH, '%Y-%m-%d'),
         COALESCE(DATE_FORMAT(DATE_FORMAT(closed_on, '%Y-%m-01') + INTERVAL 1 MONTH, '%Y-%m-%d'),
                  '2026-11-01'), 0
  FROM customers
  UNION ALL
  SELECT customer_id, DATE_FORMAT(issued_on + INTERVAL 1 MONTH, '%Y-%m-%d'), last_on, k + 1
  FROM months
  WHERE issued_on < last_on)
SELECT ROW_NUMBER() OVER (ORDER BY m.issued_on, m.customer_id), m.customer_id,
       CONCAT('VG', DATE_FORMAT(m.issued_on, '%Y%m'), '-', SUBSTR(c.customer_number, 3)),
       m.issued_on, DATE_FORMAT(m.issued_on + INTERVAL 14 DAY, '%Y-%m-%d'),
       (CASE c.customer_number
          WHEN 'C-0001' THEN 18900 WHEN 'C-0002' THEN 4650 WHEN 'C-0003' THEN 31200
          WHEN 'C-0004' THEN 9875 WHEN 'C-0005' THEN 1512 WHEN 'C-0006' THEN 7420
          WHEN 'C-0007' THEN 3390 WHEN 'C-0008' THEN 12760 WHEN 'C-0009' THEN 2987
          ELSE 5210 END) * (100 + (m.k * 7) % 13) DIV 100,
       COALESCE(c.company_name, CONCAT(c.contact_first_name, ' ', c.contact_last_name)),
       CASE c.customer_number
         WHEN 'C-0004' THEN 'Postbus 14021, 3508 SB Utrecht'
         ELSE CONCAT(c.street, ', ', c.postal_code, ' ', c.city)
       END,
       CASE c.customer_number
         WHEN 'C-0001' THEN 'NL857341220B01' WHEN 'C-0002' THEN 'NL001923847B83'
         WHEN 'C-0003' THEN 'NL804417265B01' WHEN 'C-0004' THEN 'NL859904113B01'
         WHEN 'C-0006' THEN 'NL862275014B01' WHEN 'C-0007' THEN 'NL005518472B29'
         WHEN 'C-0008' THEN 'NL820039576B01' WHEN 'C-0009' THEN 'NL002871654B47'
         WHEN 'C-0010' THEN 'NL862275014B01'
       END
FROM months m JOIN customers c ON c.id = m.customer_id
ORDER BY m.issued_on, m.customer_id;

-- Payments: by direct debit 3 to 11 days after the invoice; the invoice of 2026-11-01 is
-- still open. C-0004's invoice of 2023-01 went to the collection agency (seed 3.1, Incasso).
INSERT INTO payments (id, invoice_id, paid_on, amount_cents, iban, method)
SELECT ROW_NUMBER() OVER (ORDER BY i.id), i.id,
       CASE
         WHEN i.invoice_number = 'VG202301-0004' THEN '2023-03-28'
         ELSE DATE_FORMAT(i.issued_on + INTERVAL (3 + (i.id * 7) % 9) DAY, '%Y-%m-%d')
       END,
       CASE WHEN i.invoice_number = 'VG202301-0004' THEN i.amount_cents + 4000
            ELSE i.amount_cents END,
       c.iban,
       CASE
         WHEN i.invoice_number = 'VG202301-0004' THEN 'incassobureau'
         WHEN c.customer_number = 'C-0005' THEN 'ideal'
         WHEN i.id % 17 = 0 THEN 'overboeking'
         ELSE 'incasso'
       END
FROM invoices i JOIN customers c ON c.id = i.customer_id
WHERE i.issued_on < '2026-11-01'
  AND i.invoice_number NOT IN ('VG202603-0009')
ORDER BY i.id;

-- ---------------------------------------------------------------------------------------
-- Support tickets.

INSERT INTO support_tickets (customer_id, opened_at, closed_at, subject, body) VALUES
  (1, '2019-03-20T09:12:00', '2019-03-21T16:40:00', 'Nummerbehoud 020-nummer',
   'Roos Haverkamp vraagt of het nummer 020-1234567 bij de overstap behouden blijft. Porteringsformulier gestuurd.'),
  (1, '2020-11-02T14:03:00', '2020-11-05T10:15:00', 'Wachtmuziek wijzigen',
   'Nieuwe wachtmuziek geüpload via de portal; klant kreeg foutmelding bij mp3 van 12 MB.'),
  (1, '2023-06-12T08:47:00', '2023-06-12T11:30:00', 'Storing glasvezel Transformatorweg',
   'Glasvezelverbinding op Transformatorweg 104 valt weg; monteur ingepland, ONT vervangen.'),
  (1, '2025-01-08T10:21:00', '2025-01-09T09:02:00', 'Sim-kaart 06-33445566 opzeggen',
   'Lijn +31633445566 per 31-12-2024 opgezegd; toestel niet retour nodig.'),
  (1, '2025-10-14T13:55:00', '2025-10-15T17:20:00', 'Gespreksoverzicht september',
   'Klant vraagt een gespecificeerd gespreksoverzicht over september 2025 voor de administratie.'),
  (1, '2026-06-23T09:05:00', '2026-06-24T12:00:00', 'Gespreksopname aanzetten',
   'Roos Haverkamp wil gesprekken van de vaste lijn laten opnemen voor kwaliteitsdoeleinden; verwerkersovereenkomst meegestuurd.'),
  (1, '2026-11-17T15:42:00', NULL, 'App synchroniseert contacten niet',
   'De mobiele app toont sinds de update 4.2 geen contacten meer op de 06-11223344.'),
  (2, '2015-08-03T11:00:00', '2015-08-04T09:30:00', 'Adreswijziging Heereweg',
   'Gerrit Zwanenburg geeft door dat de winkel naar Heereweg 219b verhuist.'),
  (2, '2017-06-01T10:10:00', '2017-06-02T14:00:00', 'Opzegging alle diensten',
   'Opzegging per 30-06-2017 door Gerrit Zwanenburg wegens sluiting winkel; eindfactuur naar gerrit@bloemenhuis-zwanenburg.example.'),
  (3, '2017-07-20T08:30:00', '2017-07-28T16:00:00', 'Hoge factuur buitenland',
   'Marleen Okkerse betwist de gesprekskosten naar buitenlandse nummers van juni 2017; vermoeden van misbruik van de telefooncentrale.'),
  (3, '2017-09-12T09:45:00', '2017-09-15T10:00:00', 'Opzegging',
   'Opzegging per 30-09-2017; geschil over de facturen loopt door.'),
  (4, '2022-02-14T10:00:00', '2022-02-14T15:30:00', 'Doorschakeling naar mobiel',
   'Thijmen Brouwer-Akkerman wil na 18:00 doorschakelen naar 06-77889900.'),
  (4, '2023-04-03T09:00:00', '2023-04-06T11:00:00', 'Opzegging kantoor Oudegracht',
   'Studio verhuist naar het buitenland; opzegging per 30-04-2023, nummers niet porteren.'),
  (5, '2026-10-30T19:12:00', NULL, 'Roaming in Zwitserland',
   'Yara Kooistra-Mulder vraagt of bellen in Zwitserland in de bundel zit.'),
  (6, '2024-02-20T08:15:00', '2024-02-21T09:00:00', 'Keuzemenu praktijk',
   'Keuzemenu ingesteld: 1 spoed, 2 afspraken, 3 overig.'),
  (6, '2026-08-11T12:30:00', '2026-08-11T16:45:00', 'Extra toestel balie',
   'Sanne IJzerman bestelt een extra toestel voor de balie.'),
  (7, '2026-02-02T07:40:00', '2026-02-02T10:00:00', 'Bestellijn openingstijden',
   'Willemijn Schoonderwoerd wil dat de bestellijn vanaf 06:00 bereikbaar is.'),
  (8, '2023-01-10T10:00:00', '2023-01-10T12:00:00', 'Storingsnummer buiten kantoortijd',
   'Doorschakeling storingsdienst naar 06-98765432 ingesteld.'),
  (8, '2026-10-02T09:20:00', NULL, 'Factuur september betwist',
   'Hasan Yıldırım betwist de kosten van 0900-nummers op de factuur van september 2026.'),
  (9, '2025-06-16T14:00:00', '2025-06-16T15:10:00', 'Pinautomaat via internet',
   'Cornelis Blokland vraagt of de pinautomaat over de vaste lijn kan.'),
  (9, '2026-02-09T11:11:00', '2026-02-10T09:00:00', 'Opzegging',
   'Café stopt per 28-02-2026; opzegging bevestigd aan kees@hetzwaantje.example.'),
  (10, '2025-06-05T08:00:00', '2025-06-05T09:30:00', 'Koppeling met vestiging Noord',
   'Bram Tjong-A-Hung wil intern gratis bellen met vestiging Noord.');

-- ---------------------------------------------------------------------------------------
-- Consents.

INSERT INTO consents (customer_id, purpose, given_at, withdrawn_at) VALUES
  (1, 'nieuwsbrief', '2019-03-14T10:00:00', NULL),
  (1, 'productinformatie per telefoon', '2019-03-14T10:00:00', '2022-05-02T08:31:00'),
  (1, 'gespreksopname: informeren van bellers', '2026-06-24T12:05:00', NULL),
  (1, 'app: toegang tot contactenlijst', '2021-09-02T18:44:00', NULL),
  (2, 'nieuwsbrief', '2013-05-02T09:00:00', NULL),
  (2, 'productinformatie per telefoon', '2013-05-02T09:00:00', '2016-01-11T10:00:00'),
  (3, 'nieuwsbrief', '2016-05-01T09:00:00', '2017-09-30T12:00:00'),
  (4, 'nieuwsbrief', '2020-05-11T11:00:00', NULL),
  (4, 'app: toegang tot contactenlijst', '2020-06-01T20:15:00', NULL),
  (5, 'nieuwsbrief', '2025-09-08T21:05:00', '2026-01-04T09:00:00'),
  (5, 'app: toegang tot contactenlijst', '2025-09-09T07:30:00', NULL),
  (6, 'nieuwsbrief', '2024-02-12T13:00:00', NULL),
  (7, 'productinformatie per telefoon', '2026-01-19T08:00:00', NULL),
  (8, 'nieuwsbrief', '2022-06-20T10:00:00', NULL),
  (8, 'app: toegang tot contactenlijst', '2022-07-01T09:00:00', NULL),
  (9, 'nieuwsbrief', '2021-04-06T15:00:00', NULL),
  (9, 'app: toegang tot contactenlijst', '2021-04-10T16:00:00', NULL),
  (10, 'nieuwsbrief', '2025-06-02T09:00:00', NULL);

-- ---------------------------------------------------------------------------------------
-- App contacts: other people's names and numbers from the customers' phones.

INSERT INTO app_contacts (customer_id, contact_name, contact_number, synced_at) VALUES
  (1, 'Sjaak Meulenbelt (loodgieter)', '+31612098765', '2026-11-16T07:00:00'),
  (1, 'Annelies Kwakernaak', '+31206228190', '2026-11-16T07:00:00'),
  (1, 'Groothandel Technische Unie balie', '+31203587700', '2026-11-16T07:00:00'),
  (1, 'Oma Riet Haverkamp', '+31725116023', '2026-11-16T07:00:00'),
  (1, 'Dirk-Jan Oosterbaan', '+31650013377', '2026-11-16T07:00:00'),
  (1, 'Fatima el Khatib', '+31641887120', '2026-11-16T07:00:00'),
  (1, 'Rik Vanderstraeten', '+32475123456', '2026-11-16T07:00:00'),
  (1, 'Wouter Scheepmaker (monteur)', '+31629384756', '2026-11-16T07:00:00'),
  (1, 'Liesbeth Pronk - boekhouding', '+31204470931', '2026-11-16T07:00:00'),
  (1, 'Tom Haverkamp', '+31638271605', '2026-11-16T07:00:00'),
  (1, 'Esra Demirtaş', '+31657712340', '2026-11-16T07:00:00'),
  (1, 'Joop Zoetemelk-Brand', '+31613579246', '2026-11-16T07:00:00'),
  (2, 'Kwekerij Van der Sloot', '+31252371144', '2017-06-20T08:00:00'),
  (2, 'Tineke Zwanenburg', '+31651234098', '2017-06-20T08:00:00'),
  (2, 'Bezorger Ruud Alkemade', '+31628456731', '2017-06-20T08:00:00'),
  (3, 'Advocaat mr. Pieternel Guldemond', '+31102401888', '2017-09-25T10:00:00'),
  (3, 'Planner Johan Verbrugge', '+31654433221', '2017-09-25T10:00:00'),
  (4, 'Aannemer Bouwbedrijf Rijnsoever', '+31302887711', '2023-04-20T09:00:00'),
  (4, 'Constructeur Mirjam Leeflang', '+31624159263', '2023-04-20T09:00:00'),
  (4, 'Gemeente Utrecht vergunningen Loket', '+31302860000', '2023-04-20T09:00:00'),
  (5, 'Mam', '+31505421178', '2026-11-19T22:00:00'),
  (5, 'Huisarts Dr. Oldenkamp', '+31503132020', '2026-11-19T22:00:00'),
  (5, 'Jelmer Wijnstra', '+31683725140', '2026-11-19T22:00:00'),
  (5, 'Sportschool Noorderplantsoen', '+31503644110', '2026-11-19T22:00:00'),
  (6, 'Tandtechnisch lab Kennemerland', '+31235317744', '2026-11-18T08:00:00'),
  (6, 'Mondhygiënist Lotte Vreeswijk', '+31622019384', '2026-11-18T08:00:00'),
  (6, 'Invaller dr. Koenraad Smit', '+31648102938', '2026-11-18T08:00:00'),
  (7, 'Molen De Roode Leeuw', '+31182520131', '2026-11-20T05:00:00'),
  (7, 'Bezorger Gijs Boot', '+31612340987', '2026-11-20T05:00:00'),
  (8, 'Monteur Ricardo Lopes', '+31634981276', '2026-10-30T07:00:00'),
  (8, 'Groothandel Koelparts Best', '+31499371100', '2026-10-30T07:00:00'),
  (8, 'Klant Slagerij Van Hout', '+31402123344', '2026-10-30T07:00:00'),
  (9, 'Bierbrouwerij De Leidse Hoek', '+31715145566', '2026-02-26T12:00:00'),
  (9, 'Barman Vincent Tjin', '+31619283746', '2026-02-26T12:00:00'),
  (9, 'Verhuurder Mevr. Van Egmond', '+31715661023', '2026-02-26T12:00:00'),
  (10, 'Vestiging Noord', '+31235432100', '2026-11-18T08:00:00'),
  (10, 'Assistente Naomi Sedney', '+31681726354', '2026-11-18T08:00:00');

-- ---------------------------------------------------------------------------------------
-- Portal logins: C-0001 weekly until the app launch in May 2026, then almost daily;
-- the others a few times a month.

INSERT INTO portal_logins (id, customer_id, logged_in_at, ip_address, user_agent)
WITH RECURSIVE days(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM days WHERE d < 729)
SELECT ROW_NUMBER() OVER (ORDER BY d), 1,
       CONCAT(DATE_FORMAT(DATE '2024-11-21' + INTERVAL d DAY, '%Y-%m-%d'), 'T',
              TIME_FORMAT(MAKETIME(7 + (d * 5) % 12, (d * 17) % 60, 0), '%H:%i:%s')),
       CASE WHEN d % 9 = 0 THEN CONCAT('2001:db8:4a1:20::', LOWER(HEX(16 + d % 200)))
            ELSE CONCAT('203.0.113.', 10 + (d * 7) % 40) END,
       CASE d % 3
         WHEN 0 THEN 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0'
         WHEN 1 THEN 'VoipgrowApp/4.2.1 (Android 15; Pixel 8)'
         ELSE 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15'
       END
FROM days
WHERE (d < 540 AND d % 7 = 2)
   OR (d >= 540 AND DAYOFWEEK(DATE '2024-11-21' + INTERVAL d DAY) NOT IN (1, 7))
ORDER BY d;

SET @last_id = (SELECT COALESCE(MAX(id), 0) FROM portal_logins);
INSERT INTO portal_logins (id, customer_id, logged_in_at, ip_address, user_agent)
WITH RECURSIVE
  windows(customer_id, first_day, last_day, every, net) AS (VALUES
    (2, '2016-09-01', '2017-06-30', 21, '198.51.100.'),
    (3, '2017-01-02', '2017-09-30', 14, '198.51.100.'),
    (4, '2022-09-01', '2023-04-30', 10, '192.0.2.'),
    (5, '2025-09-08', '2026-11-20', 9, '203.0.113.'),
    (6, '2026-03-01', '2026-11-20', 6, '198.51.100.'),
    (7, '2026-01-19', '2026-11-20', 8, '192.0.2.'),
    (8, '2026-01-05', '2026-11-20', 7, '198.51.100.'),
    (9, '2025-10-01', '2026-02-27', 12, '192.0.2.'),
    (10, '2026-03-01', '2026-11-20', 6, '203.0.113.')),
  days(customer_id, day, n, every, net, last_day) AS (
    SELECT customer_id, first_day, 0, every, net, last_day FROM windows
    UNION ALL
    SELECT customer_id, DATE_FORMAT(day + INTERVAL every DAY, '%Y-%m-%d'), n + 1, every, net,
           last_day
    FROM days WHERE DATE_FORMAT(day + INTERVAL every DAY, '%Y-%m-%d') <= last_day)
SELECT @last_id + ROW_NUMBER() OVER (ORDER BY day, customer_id), customer_id,
       CONCAT(day, 'T',
              TIME_FORMAT(MAKETIME(8 + (n * 3 + customer_id) % 11, (n * 23) % 60, 0), '%H:%i:%s')),
       CONCAT(net, 100 + customer_id * 10 + n % 7),
       CASE WHEN n % 2 = 0
            THEN 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
            ELSE 'VoipgrowApp/4.2.1 (iOS 18.1; iPhone15,2)' END
FROM days
ORDER BY day, customer_id;

-- ---------------------------------------------------------------------------------------
-- Disputes and credit checks.

INSERT INTO disputes (customer_id, opened_on, resolved_on, description) VALUES
  (1, '2025-02-03', '2025-03-20',
   'Roamingkosten januari 2025 op 06-22334455 onterecht in rekening gebracht; gecrediteerd.'),
  (3, '2017-08-14', NULL,
   'Betwisting facturen april-september 2017 (gesprekken naar buitenlandse betaalnummers na misbruik van de telefooncentrale); procedure bij de rechtbank Rotterdam loopt.'),
  (8, '2026-10-02', NULL,
   'Kosten 0900-nummers op de factuur van september 2026 betwist; onderzoek naar de gespreksgegevens loopt.');

INSERT INTO credit_checks (customer_id, checked_on, agency, score, outcome) VALUES
  (1, '2019-03-12', 'Creditsafe Nederland B.V.', 74, 'approved'),
  (1, '2026-03-02', 'Creditsafe Nederland B.V.', 81, 'approved'),
  (2, '2013-04-29', 'Creditsafe Nederland B.V.', 58, 'approved'),
  (3, '2012-01-25', 'Creditsafe Nederland B.V.', 66, 'approved'),
  (4, '2020-05-07', 'Creditsafe Nederland B.V.', 49, 'deposit'),
  (5, '2025-09-08', 'Creditsafe Nederland B.V.', 62, 'approved'),
  (6, '2024-02-09', 'Creditsafe Nederland B.V.', 88, 'approved'),
  (7, '2026-01-15', 'Creditsafe Nederland B.V.', 41, 'deposit'),
  (8, '2022-06-16', 'Creditsafe Nederland B.V.', 70, 'approved'),
  (8, '2025-11-04', 'Creditsafe Nederland B.V.', 67, 'approved'),
  (9, '2021-04-01', 'Creditsafe Nederland B.V.', 55, 'approved'),
  (10, '2025-05-28', 'Creditsafe Nederland B.V.', 88, 'approved');

COMMIT;
