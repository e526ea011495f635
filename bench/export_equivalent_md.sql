-- The queries behind `telcomply export --customer C-0001` against MariaDB, as one JSON object
-- a row for the mariadb client, the floor MariaDB sets for the export:
--
--   sed -e 's/@CUSTOMER@/1/' -e 's/@LINES@/1,2,3/' bench/export_equivalent_md.sql |
--     mariadb --batch --raw --skip-column-names DB > OUT.jsonl
--
-- The same rows and columns as bench/export_equivalent_pg.sql (the example's data map, every
-- table read once, the summary counts first, the other party's numbers masked), each row
-- turned into JSON by the server (JSON_OBJECT) and written by the client one a line. --raw
-- keeps the client from escaping the backslashes of JSON's own escapes (\" and \n), which
-- --batch alone writes as \\. bench/run writes in C-0001's id (@CUSTOMER@) and its
-- subscriptions' ids (@LINES@) as literals, as a person at the shell would have them; the
-- optimizer chooses how to read call_records (through call_records_subscription, in every
-- monthly partition).

-- summary
SELECT JSON_OBJECT(
  'customers', (SELECT count(*) FROM customers WHERE id = @CUSTOMER@),
  'subscriptions', (SELECT count(*) FROM subscriptions WHERE customer_id = @CUSTOMER@),
  'call_records', (SELECT count(*) FROM call_records WHERE subscription_id IN (@LINES@)),
  'invoices', (SELECT count(*) FROM invoices WHERE customer_id = @CUSTOMER@),
  'payments', (SELECT count(*) FROM payments WHERE invoice_id IN
                 (SELECT id FROM invoices WHERE customer_id = @CUSTOMER@)));

-- account, and the customer's columns of contact, financial and dispute
SELECT JSON_OBJECT('table', 'customers', 'key', id, 'customer_number', customer_number,
                   'company_name', company_name, 'kvk_number', kvk_number, 'sector', sector,
                   'status', status, 'created_on', created_on, 'closed_on', closed_on,
                   'contact_first_name', contact_first_name,
                   'contact_last_name', contact_last_name, 'email', email, 'phone', phone,
                   'street', street, 'postal_code', postal_code, 'city', city,
                   'iban', iban,
                   'legal_hold', legal_hold)
  FROM customers WHERE id = @CUSTOMER@;
-- financial
SELECT JSON_OBJECT('table', 'payments', 'key', id, 'paid_on', paid_on,
                   'amount_cents', amount_cents, 'iban', iban, 'method', method)
  FROM payments WHERE invoice_id IN (SELECT id FROM invoices WHERE customer_id = @CUSTOMER@);
-- contract
SELECT JSON_OBJECT('table', 'subscriptions', 'key', id, 'product', product,
                   'phone_number', phone_number, 'started_on', started_on, 'ended_on', ended_on)
  FROM subscriptions WHERE customer_id = @CUSTOMER@;
-- traffic (callee_number is the other party's: masked), and billing's cost_cents
SELECT JSON_OBJECT('table', 'call_records', 'key', id, 'started_at', started_at,
                   'duration_s', duration_s, 'direction', direction,
                   'caller_number', caller_number,
                   'callee_number',
                   CONCAT(LEFT(callee_number, CHAR_LENGTH(callee_number) - 4), '****'),
                   'cost_cents', cost_cents)
  FROM call_records WHERE subscription_id IN (@LINES@);
-- billing
SELECT JSON_OBJECT('table', 'invoices', 'key', id, 'invoice_number', invoice_number,
                   'issued_on', issued_on, 'due_on', due_on, 'amount_cents', amount_cents,
                   'billing_name', billing_name, 'billing_address', billing_address,
                   'vat_number', vat_number)
  FROM invoices WHERE customer_id = @CUSTOMER@;
-- support
SELECT JSON_OBJECT('table', 'support_tickets', 'key', id, 'opened_at', opened_at,
                   'closed_at', closed_at, 'subject', subject, 'body', body)
  FROM support_tickets WHERE customer_id = @CUSTOMER@;
-- consent
SELECT JSON_OBJECT('table', 'consents', 'key', id, 'purpose', purpose, 'given_at', given_at,
                   'withdrawn_at', withdrawn_at)
  FROM consents WHERE customer_id = @CUSTOMER@;
-- app_contacts (other parties' names and numbers: masked)
SELECT JSON_OBJECT('table', 'app_contacts', 'key', id,
                   'contact_name', CONCAT(SUBSTR(contact_name, 1, 1), '***'),
                   'contact_number',
                   CONCAT(LEFT(contact_number, CHAR_LENGTH(contact_number) - 4), '****'),
                   'synced_at', synced_at)
  FROM app_contacts WHERE customer_id = @CUSTOMER@;
-- usage
SELECT JSON_OBJECT('table', 'portal_logins', 'key', id, 'logged_in_at', logged_in_at,
                   'ip_address', ip_address, 'user_agent', user_agent)
  FROM portal_logins WHERE customer_id = @CUSTOMER@;
-- credit
SELECT JSON_OBJECT('table', 'credit_checks', 'key', id, 'checked_on', checked_on,
                   'agency', agency, 'score', score, 'outcome', outcome)
  FROM credit_checks WHERE customer_id = @CUSTOMER@;
-- dispute
SELECT JSON_OBJECT('table', 'disputes', 'key', id, 'opened_on', opened_on,
                   'resolved_on', resolved_on, 'description', description)
  FROM disputes WHERE customer_id = @CUSTOMER@;
