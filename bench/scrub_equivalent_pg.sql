-- What `telcomply scrub --apply --allow-mass-delete --as-of 2026-11-23` does to a PostgreSQL
-- database in the example's schema (examples/postgresql/voipgrow.sql) with the example's
-- retention rules, as plain DELETE and UPDATE statements for psql, followed by the VACUUM of
-- the changed tables that telcomply runs after a scrub (Store::erase_residue):
--
--   psql -X -q -v ON_ERROR_STOP=1 -v asof=2026-11-23 -v key=KEY -v timestamp=false -d COPY \
--     -f bench/scrub_equivalent_pg.sql
--
-- The floor PostgreSQL sets for the scrub: bench/scrub_equivalent.sql (SQLite) in
-- PostgreSQL's spelling, the same rows deleted and the same columns masked (the pseudonym is
-- a keyed SHA-256 here), children before the rows they reference, accounts under a legal
-- hold or with an open dispute left alone. Unlike telcomply it runs as one transaction,
-- plans nothing, checks no schema or privilege, reports nothing per rule and writes no audit
-- record. bench/run compares the two databases after the run.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
BEGIN;

-- The cut-offs: a row is past retention when its start date is on or before the as-of date
-- less the period, that is before the day after.
CREATE TEMP TABLE cutoff (rule TEXT PRIMARY KEY, before TEXT NOT NULL) ON COMMIT DROP;
INSERT INTO cutoff
  SELECT rule, to_char((date :'asof' - period::interval)::date + 1, 'YYYY-MM-DD')
    FROM (VALUES ('billing-dispute', '6 months'), ('3 months', '3 months'),
                 ('fiscal', '7 years'), ('1 year', '1 year'), ('2 years', '2 years'),
                 ('1 month', '1 month'), ('6 months', '6 months'),
                 ('damages-claims', '5 years')) AS rules(rule, period);

-- Holds: a legal hold on the account, or a dispute not resolved by the as-of date.
CREATE TEMP TABLE held (id INTEGER PRIMARY KEY) ON COMMIT DROP;
INSERT INTO held
  SELECT id FROM customers WHERE legal_hold IS NOT NULL
    AND lower(trim(CAST(legal_hold AS TEXT))) NOT IN ('', '0', '0.0', 'false', 'no', 'nee', 'n', 'f')
  ON CONFLICT DO NOTHING;
INSERT INTO held
  SELECT customer_id FROM disputes
   WHERE NOT (resolved_on IS NOT NULL AND resolved_on >= '0000-01-01'
              AND resolved_on < to_char(date :'asof' + 1, 'YYYY-MM-DD'))
  ON CONFLICT DO NOTHING;
CREATE TEMP TABLE held_lines (id INTEGER PRIMARY KEY) ON COMMIT DROP;
INSERT INTO held_lines
  SELECT id FROM subscriptions WHERE customer_id IN (SELECT id FROM held);
ANALYZE cutoff, held, held_lines;

-- call-recordings: 3 months from created_at.
DELETE FROM call_recordings
 WHERE created_at >= '0000-01-01'
   AND created_at < (SELECT before FROM cutoff WHERE rule = '3 months')
   AND call_record_id NOT IN
       (SELECT id FROM call_records WHERE subscription_id IN (SELECT id FROM held_lines));

-- cdr-billing: call records, billing-dispute (6 months) from started_at; a recording that
-- stays keeps its call record. started_at is ISO 8601 text, or with -v timestamp=true (bench/run
-- --pg-dates timestamp) a timestamp.
\if :timestamp
DELETE FROM call_records
 WHERE started_at < CAST((SELECT before FROM cutoff WHERE rule = 'billing-dispute') AS timestamp)
   AND subscription_id NOT IN (SELECT id FROM held_lines)
   AND NOT EXISTS (SELECT 1 FROM call_recordings r WHERE r.call_record_id = call_records.id);
\else
DELETE FROM call_records
 WHERE started_at >= '0000-01-01'
   AND started_at < (SELECT before FROM cutoff WHERE rule = 'billing-dispute')
   AND subscription_id NOT IN (SELECT id FROM held_lines)
   AND NOT EXISTS (SELECT 1 FROM call_recordings r WHERE r.call_record_id = call_records.id);
\endif

-- payments-fiscal, then invoices-fiscal: 7 years; a payment that stays keeps its invoice.
DELETE FROM payments
 WHERE paid_on >= '0000-01-01'
   AND paid_on < (SELECT before FROM cutoff WHERE rule = 'fiscal')
   AND invoice_id NOT IN
       (SELECT id FROM invoices WHERE customer_id IN (SELECT id FROM held));
DELETE FROM invoices
 WHERE issued_on >= '0000-01-01'
   AND issued_on < (SELECT before FROM cutoff WHERE rule = 'fiscal')
   AND customer_id NOT IN (SELECT id FROM held)
   AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = invoices.id);

-- contact-after-closure: 1 year after the account closed, contact data masked.
UPDATE customers
   SET company_name = NULL,
       kvk_number = NULL,
       contact_first_name = NULL,
       contact_last_name = '(verwijderd)',
       email = 'anon:' || left(encode(sha256(convert_to(:'key' || email, 'UTF8')), 'hex'), 32),
       phone = substr(phone, 1, 4) || repeat('*', length(phone) - 4),
       street = NULL,
       -- '1234 AB' keeps its first four characters and the space: '1234 **'
       postal_code = substr(postal_code, 1, 5) || repeat('*', length(postal_code) - 5),
       city = NULL,
       iban = NULL,
       created_on = substr(created_on, 1, 4) || '-01-01'
 WHERE closed_on >= '0000-01-01'
   AND closed_on < (SELECT before FROM cutoff WHERE rule = '1 year')
   AND id NOT IN (SELECT id FROM held)
   AND email NOT LIKE 'anon:%';

-- numbers-after-closure: 1 year after the account closed, numbers keep their first four
-- characters (partial, keep: 4): +312********.
UPDATE subscriptions
   SET phone_number = substr(phone_number, 1, 4)
                      || repeat('*', length(phone_number) - 4)
 WHERE phone_number IS NOT NULL
   AND customer_id NOT IN (SELECT id FROM held)
   AND customer_id IN (SELECT id FROM customers WHERE closed_on >= '0000-01-01'
                         AND closed_on < (SELECT before FROM cutoff WHERE rule = '1 year'))
   AND phone_number NOT LIKE '%*';

-- support-tickets: 2 years from closed_at.
DELETE FROM support_tickets
 WHERE closed_at >= '0000-01-01'
   AND closed_at < (SELECT before FROM cutoff WHERE rule = '2 years')
   AND customer_id NOT IN (SELECT id FROM held);

-- consents-after-closure: 1 year after the account closed.
DELETE FROM consents
 WHERE customer_id NOT IN (SELECT id FROM held)
   AND customer_id IN (SELECT id FROM customers WHERE closed_on >= '0000-01-01'
                         AND closed_on < (SELECT before FROM cutoff WHERE rule = '1 year'));

-- app-contacts-after-closure: 1 month after the account closed.
DELETE FROM app_contacts
 WHERE customer_id NOT IN (SELECT id FROM held)
   AND customer_id IN (SELECT id FROM customers WHERE closed_on >= '0000-01-01'
                         AND closed_on < (SELECT before FROM cutoff WHERE rule = '1 month'));

-- portal-logins: 6 months from logged_in_at.
DELETE FROM portal_logins
 WHERE logged_in_at >= '0000-01-01'
   AND logged_in_at < (SELECT before FROM cutoff WHERE rule = '6 months')
   AND customer_id NOT IN (SELECT id FROM held);

-- credit-checks: 2 years from checked_on.
DELETE FROM credit_checks
 WHERE checked_on >= '0000-01-01'
   AND checked_on < (SELECT before FROM cutoff WHERE rule = '2 years')
   AND customer_id NOT IN (SELECT id FROM held);

-- disputes-resolved: damages-claims (5 years) from resolved_on.
DELETE FROM disputes
 WHERE resolved_on >= '0000-01-01'
   AND resolved_on < (SELECT before FROM cutoff WHERE rule = 'damages-claims')
   AND customer_id NOT IN (SELECT id FROM held);

COMMIT;

-- The VACUUM telcomply runs after an applied scrub, one statement per changed table.
VACUUM call_recordings;
VACUUM (PARALLEL 0) call_records;  -- partitioned: as telcomply vacuums it
VACUUM payments;
VACUUM invoices;
VACUUM customers;
VACUUM subscriptions;
VACUUM support_tickets;
VACUUM consents;
VACUUM app_contacts;
VACUUM portal_logins;
VACUUM credit_checks;
VACUUM disputes;
