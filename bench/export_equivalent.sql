-- The queries behind `telcomply export --customer C-0001`, for the sqlite3 shell:
--
--   sed -e 's/@CUSTOMER@/1/' -e 's/@LINES@/1,2,3/' -e 's/@CALLS@//' \
--     bench/export_equivalent.sql | sqlite3 -readonly -json DB > OUT.json
--
-- This is the floor SQLite sets for the export: the same rows and columns of the example's
-- data map (examples/policies/datamap.yaml), reached from the customer along the same links,
-- with the summary counts and the other party's number masked. Like telcomply, it reads
-- every table once: a table whose columns belong to several categories (customers: account,
-- contact, financial and dispute; call_records: traffic and billing) is one query for all of
-- them, at the first of its categories in the package's order. It leaves out what only
-- telcomply does: writing each category's columns in their own section (telcomply holds the
-- later sections' records back until then), the records in the order of their key, the
-- art. 15 information from the policy files, the masks' formatting, the SHA-256 of the
-- package, the fsync and rename of the output file and the audit record.
--
-- bench/run writes in the values a person at the shell would: @CUSTOMER@ is C-0001's id and
-- @LINES@ the ids of its subscriptions, as literals the planner can see. @CALLS@ is how
-- call_records is read: empty (SQLite's planner chooses), `INDEXED BY
-- call_records_subscription` (row by row through the index) or `NOT INDEXED` (the whole
-- table, once); the fastest of the three is the floor.

-- summary
-- summary
SELECT
  (SELECT count(*) FROM customers WHERE id = @CUSTOMER@) AS customers,
  (SELECT count(*) FROM subscriptions WHERE customer_id = @CUSTOMER@) AS subscriptions,
  (SELECT count(*) FROM call_records WHERE subscription_id IN (@LINES@)) AS call_records,
  (SELECT count(*) FROM invoices WHERE customer_id = @CUSTOMER@) AS invoices,
  (SELECT count(*) FROM payments WHERE invoice_id IN
     (SELECT id FROM invoices WHERE customer_id = @CUSTOMER@)) AS payments;

-- account, and the customer's columns of contact, financial and dispute
SELECT 'customers' AS "table", id AS "key", customer_number, company_name, kvk_number, sector,
       status, created_on, closed_on,
       contact_first_name, contact_last_name, email, phone, street, postal_code, city,
       iban,
       legal_hold
  FROM customers WHERE id = @CUSTOMER@;
-- financial
SELECT 'payments' AS "table", id AS "key", paid_on, amount_cents, iban, method
  FROM payments WHERE invoice_id IN (SELECT id FROM invoices WHERE customer_id = @CUSTOMER@);
-- contract
SELECT 'subscriptions' AS "table", id AS "key", product, phone_number, started_on, ended_on
  FROM subscriptions WHERE customer_id = @CUSTOMER@;
-- traffic (callee_number is the other party's: masked), and billing's cost_cents
SELECT 'call_records' AS "table", id AS "key", started_at, duration_s, direction, caller_number,
       substr(callee_number, 1, length(callee_number) - 4) || '****' AS callee_number,
       cost_cents
  FROM call_records @CALLS@ WHERE subscription_id IN (@LINES@);
-- billing
SELECT 'invoices' AS "table", id AS "key", invoice_number, issued_on, due_on, amount_cents,
       billing_name, billing_address, vat_number
  FROM invoices WHERE customer_id = @CUSTOMER@;
-- support
SELECT 'support_tickets' AS "table", id AS "key", opened_at, closed_at, subject, body
  FROM support_tickets WHERE customer_id = @CUSTOMER@;
-- consent
SELECT 'consents' AS "table", id AS "key", purpose, given_at, withdrawn_at
  FROM consents WHERE customer_id = @CUSTOMER@;
-- app_contacts (other parties' names and numbers: masked)
SELECT 'app_contacts' AS "table", id AS "key",
       substr(contact_name, 1, 1) || '***' AS contact_name,
       substr(contact_number, 1, length(contact_number) - 4) || '****' AS contact_number,
       synced_at
  FROM app_contacts WHERE customer_id = @CUSTOMER@;
-- usage
SELECT 'portal_logins' AS "table", id AS "key", logged_in_at, ip_address, user_agent
  FROM portal_logins WHERE customer_id = @CUSTOMER@;
-- credit
SELECT 'credit_checks' AS "table", id AS "key", checked_on, agency, score, outcome
  FROM credit_checks WHERE customer_id = @CUSTOMER@;
-- dispute
SELECT 'disputes' AS "table", id AS "key", opened_on, resolved_on, description
  FROM disputes WHERE customer_id = @CUSTOMER@;
