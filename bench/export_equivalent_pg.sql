-- The queries behind `telcomply export --customer C-0001` against PostgreSQL, as one COPY of
-- JSON lines per table for psql, the floor PostgreSQL sets for the export:
--
--   sed -e 's/@CUSTOMER@/1/' -e 's/@LINES@/1,2,3/' bench/export_equivalent_pg.sql |
--     psql -X -q -d DB > OUT.jsonl
--
-- The same rows and columns as bench/export_equivalent.sql (the example's data map, every
-- table read once, the summary counts first, the other party's numbers masked), each row
-- turned into JSON by the server (row_to_json) and streamed to psql with COPY ... TO STDOUT.
-- bench/run writes in C-0001's id (@CUSTOMER@) and its subscriptions' ids (@LINES@) as
-- literals, as a person at the shell would have them; the planner chooses how to read
-- call_records (through call_records_subscription in each monthly partition).

-- summary
COPY (SELECT row_to_json(r) FROM (SELECT
  (SELECT count(*) FROM customers WHERE id = @CUSTOMER@) AS customers,
  (SELECT count(*) FROM subscriptions WHERE customer_id = @CUSTOMER@) AS subscriptions,
  (SELECT count(*) FROM call_records WHERE subscription_id IN (@LINES@)) AS call_records,
  (SELECT count(*) FROM invoices WHERE customer_id = @CUSTOMER@) AS invoices,
  (SELECT count(*) FROM payments WHERE invoice_id IN
     (SELECT id FROM invoices WHERE customer_id = @CUSTOMER@)) AS payments) r) TO STDOUT;

-- account, and the customer's columns of contact, financial and dispute
COPY (SELECT row_to_json(r) FROM (
  SELECT 'customers' AS "table", id AS "key", customer_number, company_name, kvk_number, sector,
         status, created_on, closed_on,
         contact_first_name, contact_last_name, email, phone, street, postal_code, city,
         iban,
         legal_hold
    FROM customers WHERE id = @CUSTOMER@) r) TO STDOUT;
-- financial
COPY (SELECT row_to_json(r) FROM (
  SELECT 'payments' AS "table", id AS "key", paid_on, amount_cents, iban, method
    FROM payments WHERE invoice_id IN (SELECT id FROM invoices WHERE customer_id = @CUSTOMER@)
  ) r) TO STDOUT;
-- contract
COPY (SELECT row_to_json(r) FROM (
  SELECT 'subscriptions' AS "table", id AS "key", product, phone_number, started_on, ended_on
    FROM subscriptions WHERE customer_id = @CUSTOMER@) r) TO STDOUT;
-- traffic (callee_number is the other party's: masked), and billing's cost_cents
COPY (SELECT row_to_json(r) FROM (
  SELECT 'call_records' AS "table", id AS "key", started_at, duration_s, direction,
         caller_number,
         left(callee_number, -4) || '****' AS callee_number,
         cost_cents
    FROM call_records WHERE subscription_id IN (@LINES@)) r) TO STDOUT;
-- billing
COPY (SELECT row_to_json(r) FROM (
  SELECT 'invoices' AS "table", id AS "key", invoice_number, issued_on, due_on, amount_cents,
         billing_name, billing_address, vat_number
    FROM invoices WHERE customer_id = @CUSTOMER@) r) TO STDOUT;
-- support
COPY (SELECT row_to_json(r) FROM (
  SELECT 'support_tickets' AS "table", id AS "key", opened_at, closed_at, subject, body
    FROM support_tickets WHERE customer_id = @CUSTOMER@) r) TO STDOUT;
-- consent
COPY (SELECT row_to_json(r) FROM (
  SELECT 'consents' AS "table", id AS "key", purpose, given_at, withdrawn_at
    FROM consents WHERE customer_id = @CUSTOMER@) r) TO STDOUT;
-- app_contacts (other parties' names and numbers: masked)
COPY (SELECT row_to_json(r) FROM (
  SELECT 'app_contacts' AS "table", id AS "key",
         substr(contact_name, 1, 1) || '***' AS contact_name,
         left(contact_number, -4) || '****' AS contact_number,
         synced_at
    FROM app_contacts WHERE customer_id = @CUSTOMER@) r) TO STDOUT;
-- usage
COPY (SELECT row_to_json(r) FROM (
  SELECT 'portal_logins' AS "table", id AS "key", logged_in_at, ip_address, user_agent
    FROM portal_logins WHERE customer_id = @CUSTOMER@) r) TO STDOUT;
-- credit
COPY (SELECT row_to_json(r) FROM (
  SELECT 'credit_checks' AS "table", id AS "key", checked_on, agency, score, outcome
    FROM credit_checks WHERE customer_id = @CUSTOMER@) r) TO STDOUT;
-- dispute
COPY (SELECT row_to_json(r) FROM (
  SELECT 'disputes' AS "table", id AS "key", opened_on, resolved_on, description
    FROM disputes WHERE customer_id = @CUSTOMER@) r) TO STDOUT;
