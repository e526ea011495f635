-- What `telcomply scrub --apply --allow-mass-delete --as-of 2026-11-20` does to a database in
-- the example's schema with the example's retention rules (examples/policies/retention.yaml
-- and policies/retention-nl.yaml), written by hand as plain DELETE and UPDATE statements for
-- the sqlite3 shell:
--
--   sqlite3 COPY.db < bench/scrub_equivalent.sql
--
-- The floor SQLite sets for the scrub: the same rows deleted and the same columns masked
-- (the pseudonym is a keyed SHA-3 here, as the shell has no HMAC), children before the
-- rows they reference, accounts under a legal hold or with an open dispute left alone,
-- secure_delete on and a 64 MiB page cache as telcomply has them (Store::prepare_erasure;
-- bench/run also runs it without the cache_size line, with the shell's default 2 MB, and
-- after the PRAGMA quick_check telcomply runs first). Unlike telcomply it runs as one
-- transaction, plans nothing, checks no schema, reports nothing per rule and writes no audit
-- record.
-- The rows that end up deleted or masked are the same as telcomply's; bench/run compares
-- the two databases after the run.
.parameter init
.parameter set @asof "'2026-11-20'"
.parameter set @key "'benchmark-pseudonym-key-0123456789'"
PRAGMA secure_delete = ON;
PRAGMA cache_size = -65536;  -- 64 MiB, the page cache telcomply's scrub works with
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

-- The cut-offs: a row is past retention when its start date is on or before the as-of date
-- less the period, that is before the day after.
CREATE TEMP TABLE cutoff (rule TEXT PRIMARY KEY, before TEXT NOT NULL);
INSERT INTO temp.cutoff VALUES
  ('billing-dispute', date(@asof, '-6 months', '+1 day')),
  ('3 months', date(@asof, '-3 months', '+1 day')),
  ('fiscal', date(@asof, '-7 years', '+1 day')),
  ('1 year', date(@asof, '-1 years', '+1 day')),
  ('2 years', date(@asof, '-2 years', '+1 day')),
  ('1 month', date(@asof, '-1 months', '+1 day')),
  ('6 months', date(@asof, '-6 months', '+1 day')),
  ('damages-claims', date(@asof, '-5 years', '+1 day'));

-- Holds: a legal hold on the account, or a dispute not resolved by the as-of date.
CREATE TEMP TABLE held (id INTEGER PRIMARY KEY);
INSERT OR IGNORE INTO temp.held
  SELECT id FROM customers WHERE legal_hold IS NOT NULL
    AND lower(trim(CAST(legal_hold AS TEXT))) NOT IN ('', '0', '0.0', 'false', 'no', 'nee', 'n', 'f');
INSERT OR IGNORE INTO temp.held
  SELECT customer_id FROM disputes
   WHERE NOT (typeof(resolved_on) = 'text' AND resolved_on >= '0000-01-01'
              AND resolved_on < date(@asof, '+1 day'));
CREATE TEMP TABLE held_lines (id INTEGER PRIMARY KEY);
INSERT INTO temp.held_lines
  SELECT id FROM subscriptions WHERE customer_id IN (SELECT id FROM temp.held);

-- call-recordings: 3 months from created_at.
DELETE FROM call_recordings
 WHERE created_at >= '0000-01-01'
   AND created_at < (SELECT before FROM temp.cutoff WHERE rule = '3 months')
   AND call_record_id NOT IN
       (SELECT id FROM call_records WHERE subscription_id IN (SELECT id FROM temp.held_lines));

-- cdr-billing: call records, billing-dispute (6 months) from started_at; a recording that
-- stays keeps its call record.
DELETE FROM call_records
 WHERE started_at >= '0000-01-01'
   AND started_at < (SELECT before FROM temp.cutoff WHERE rule = 'billing-dispute')
   AND subscription_id NOT IN (SELECT id FROM temp.held_lines)
   AND NOT EXISTS (SELECT 1 FROM call_recordings r WHERE r.call_record_id = call_records.id);

-- payments-fiscal, then invoices-fiscal: 7 years; a payment that stays keeps its invoice.
DELETE FROM payments
 WHERE paid_on >= '0000-01-01'
   AND paid_on < (SELECT before FROM temp.cutoff WHERE rule = 'fiscal')
   AND invoice_id NOT IN
       (SELECT id FROM invoices WHERE customer_id IN (SELECT id FROM temp.held));
DELETE FROM invoices
 WHERE issued_on >= '0000-01-01'
   AND issued_on < (SELECT before FROM temp.cutoff WHERE rule = 'fiscal')
   AND customer_id NOT IN (SELECT id FROM temp.held)
   AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = invoices.id);

-- contact-after-closure: 1 year after the account closed, contact data masked.
UPDATE customers
   SET company_name = NULL,
       kvk_number = NULL,
       contact_first_name = NULL,
       contact_last_name = '(verwijderd)',
       email = 'anon:' || lower(hex(substr(sha3(@key || email, 256), 1, 16))),
       phone = substr(phone, 1, 4) || substr('****************', 1, length(phone) - 4),
       street = NULL,
       -- '1234 AB' keeps its first four characters and the space: '1234 **'
       postal_code = substr(postal_code, 1, 5) || substr('**********', 1, length(postal_code) - 5),
       city = NULL,
       iban = NULL,
       created_on = substr(created_on, 1, 4) || '-01-01'
 WHERE closed_on >= '0000-01-01'
   AND closed_on < (SELECT before FROM temp.cutoff WHERE rule = '1 year')
   AND id NOT IN (SELECT id FROM temp.held)
   AND email NOT LIKE 'anon:%';

-- numbers-after-closure: 1 year after the account closed, numbers keep their first four
-- characters (partial, keep: 4): +312********.
UPDATE subscriptions
   SET phone_number = substr(phone_number, 1, 4)
                      || substr('****************', 1, length(phone_number) - 4)
 WHERE phone_number IS NOT NULL
   AND customer_id NOT IN (SELECT id FROM temp.held)
   AND customer_id IN (SELECT id FROM customers WHERE closed_on >= '0000-01-01'
                         AND closed_on < (SELECT before FROM temp.cutoff WHERE rule = '1 year'))
   AND phone_number NOT LIKE '%*';

-- support-tickets: 2 years from closed_at.
DELETE FROM support_tickets
 WHERE closed_at >= '0000-01-01'
   AND closed_at < (SELECT before FROM temp.cutoff WHERE rule = '2 years')
   AND customer_id NOT IN (SELECT id FROM temp.held);

-- consents-after-closure: 1 year after the account closed.
DELETE FROM consents
 WHERE customer_id NOT IN (SELECT id FROM temp.held)
   AND customer_id IN (SELECT id FROM customers WHERE closed_on >= '0000-01-01'
                         AND closed_on < (SELECT before FROM temp.cutoff WHERE rule = '1 year'));

-- app-contacts-after-closure: 1 month after the account closed.
DELETE FROM app_contacts
 WHERE customer_id NOT IN (SELECT id FROM temp.held)
   AND customer_id IN (SELECT id FROM customers WHERE closed_on >= '0000-01-01'
                         AND closed_on < (SELECT before FROM temp.cutoff WHERE rule = '1 month'));

-- portal-logins: 6 months from logged_in_at.
DELETE FROM portal_logins
 WHERE logged_in_at >= '0000-01-01'
   AND logged_in_at < (SELECT before FROM temp.cutoff WHERE rule = '6 months')
   AND customer_id NOT IN (SELECT id FROM temp.held);

-- credit-checks: 2 years from checked_on.
DELETE FROM credit_checks
 WHERE checked_on >= '0000-01-01'
   AND checked_on < (SELECT before FROM temp.cutoff WHERE rule = '2 years')
   AND customer_id NOT IN (SELECT id FROM temp.held);

-- disputes-resolved: damages-claims (5 years) from resolved_on.
DELETE FROM disputes
 WHERE resolved_on >= '0000-01-01'
   AND resolved_on < (SELECT before FROM temp.cutoff WHERE rule = 'damages-claims')
   AND customer_id NOT IN (SELECT id FROM temp.held);

COMMIT;
