-- What `telcomply scrub --apply --allow-mass-delete --as-of 2026-11-23` does to a MariaDB
-- database in the example's schema (examples/mariadb/voipgrow.sql) with the example's
-- retention rules, as plain DELETE and UPDATE statements for the mariadb client:
--
--   mariadb --init-command="SET @asof = '2026-11-23', @key = 'KEY'" COPY \
--     < bench/scrub_equivalent_md.sql
--
-- The floor MariaDB sets for the scrub: bench/scrub_equivalent_pg.sql in MariaDB's spelling,
-- the same rows deleted and the same columns masked, children before the rows they
-- reference, accounts under a legal hold or with an open dispute left alone. The pseudonym
-- is telcomply's own, HMAC-SHA-256 of the value under the key (RFC 2104, written out with
-- SHA2()), its first 32 hexadecimal digits after 'anon:', so that the masked emails can be
-- compared value for value. The partial masks assume what the generated rows hold: a phone
-- number of digits after its first four characters, and a postal code '1234 AB' (its fifth
-- character a space, which telcomply's partial mask keeps). Unlike telcomply it runs as one
-- transaction, plans nothing, checks no schema or privilege, drops no partition, reports
-- nothing per rule and writes no audit record; like telcomply without --rebuild, it rebuilds
-- no table afterwards. bench/run compares the two databases after the run.

-- The collation of the example's columns for the values computed below: a user variable
-- takes the connection's, and one of another collation would not compare with a column.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
-- Standard string literals and errors, not warnings, for values that do not fit.
SET SESSION sql_mode =
  'STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO';

-- The cut-offs, as ISO 8601 text like the columns: a row is past retention when its start
-- date is on or before the as-of date less the period, that is before the day after.
SET @cut = CAST(@asof AS DATE);
SET @billing_dispute = DATE_FORMAT(@cut - INTERVAL 6 MONTH + INTERVAL 1 DAY, '%Y-%m-%d'),
    @three_months = DATE_FORMAT(@cut - INTERVAL 3 MONTH + INTERVAL 1 DAY, '%Y-%m-%d'),
    @fiscal = DATE_FORMAT(@cut - INTERVAL 7 YEAR + INTERVAL 1 DAY, '%Y-%m-%d'),
    @one_year = DATE_FORMAT(@cut - INTERVAL 1 YEAR + INTERVAL 1 DAY, '%Y-%m-%d'),
    @two_years = DATE_FORMAT(@cut - INTERVAL 2 YEAR + INTERVAL 1 DAY, '%Y-%m-%d'),
    @one_month = DATE_FORMAT(@cut - INTERVAL 1 MONTH + INTERVAL 1 DAY, '%Y-%m-%d'),
    @six_months = DATE_FORMAT(@cut - INTERVAL 6 MONTH + INTERVAL 1 DAY, '%Y-%m-%d'),
    @damages_claims = DATE_FORMAT(@cut - INTERVAL 5 YEAR + INTERVAL 1 DAY, '%Y-%m-%d'),
    @after_asof = DATE_FORMAT(@cut + INTERVAL 1 DAY, '%Y-%m-%d');

-- HMAC's inner and outer keys: the key (hashed when longer than SHA-256's block of 64 bytes)
-- padded with zero bytes to 64, each byte XOR 0x36 and 0x5c.
SET @k = RPAD(IF(LENGTH(@key) > 64, UNHEX(SHA2(@key, 256)), CAST(@key AS BINARY)), 64, x'00');
WITH RECURSIVE byte (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM byte WHERE i < 64)
SELECT UNHEX(GROUP_CONCAT(LPAD(HEX(ASCII(SUBSTR(@k, i, 1)) ^ 0x36), 2, '0') ORDER BY i SEPARATOR '')),
       UNHEX(GROUP_CONCAT(LPAD(HEX(ASCII(SUBSTR(@k, i, 1)) ^ 0x5c), 2, '0') ORDER BY i SEPARATOR ''))
  INTO @ipad, @opad FROM byte;

START TRANSACTION;

-- Holds: a legal hold on the account, or a dispute not resolved by the as-of date.
CREATE TEMPORARY TABLE held (id INT NOT NULL PRIMARY KEY);
INSERT IGNORE INTO held
  SELECT id FROM customers WHERE legal_hold IS NOT NULL
    AND lower(trim(CAST(legal_hold AS CHAR))) NOT IN ('', '0', '0.0', 'false', 'no', 'nee', 'n', 'f');
INSERT IGNORE INTO held
  SELECT customer_id FROM disputes
   WHERE NOT (resolved_on IS NOT NULL AND resolved_on >= '0000-01-01'
              AND resolved_on < @after_asof);
CREATE TEMPORARY TABLE held_lines (id INT NOT NULL PRIMARY KEY);
INSERT INTO held_lines
  SELECT id FROM subscriptions WHERE customer_id IN (SELECT id FROM held);

-- call-recordings: 3 months from created_at.
DELETE FROM call_recordings
 WHERE created_at >= '0000-01-01'
   AND created_at < @three_months
   AND call_record_id NOT IN
       (SELECT id FROM call_records WHERE subscription_id IN (SELECT id FROM held_lines));

-- cdr-billing: call records, billing-dispute (6 months) from started_at; a recording that
-- stays keeps its call record.
DELETE FROM call_records
 WHERE started_at >= '0000-01-01'
   AND started_at < @billing_dispute
   AND subscription_id NOT IN (SELECT id FROM held_lines)
   AND NOT EXISTS (SELECT 1 FROM call_recordings r WHERE r.call_record_id = call_records.id);

-- payments-fiscal, then invoices-fiscal: 7 years; a payment that stays keeps its invoice.
DELETE FROM payments
 WHERE paid_on >= '0000-01-01'
   AND paid_on < @fiscal
   AND invoice_id NOT IN
       (SELECT id FROM invoices WHERE customer_id IN (SELECT id FROM held));
DELETE FROM invoices
 WHERE issued_on >= '0000-01-01'
   AND issued_on < @fiscal
   AND customer_id NOT IN (SELECT id FROM held)
   AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = invoices.id);

-- contact-after-closure: 1 year after the account closed, contact data masked.
UPDATE customers
   SET company_name = NULL,
       kvk_number = NULL,
       contact_first_name = NULL,
       contact_last_name = '(verwijderd)',
       email = CONCAT('anon:', LEFT(SHA2(CONCAT(@opad, UNHEX(SHA2(CONCAT(@ipad, email), 256))),
                                         256), 32)),
       phone = CONCAT(SUBSTR(phone, 1, 4), REPEAT('*', CHAR_LENGTH(phone) - 4)),
       street = NULL,
       -- '1234 AB' keeps its first four characters and the space: '1234 **'
       postal_code = CONCAT(SUBSTR(postal_code, 1, 5), REPEAT('*', CHAR_LENGTH(postal_code) - 5)),
       city = NULL,
       iban = NULL,
       created_on = CONCAT(SUBSTR(created_on, 1, 4), '-01-01')
 WHERE closed_on >= '0000-01-01'
   AND closed_on < @one_year
   AND id NOT IN (SELECT id FROM held)
   AND email NOT LIKE 'anon:%';

-- numbers-after-closure: 1 year after the account closed, numbers keep their first four
-- characters (partial, keep: 4): +312********.
UPDATE subscriptions
   SET phone_number = CONCAT(SUBSTR(phone_number, 1, 4),
                             REPEAT('*', CHAR_LENGTH(phone_number) - 4))
 WHERE phone_number IS NOT NULL
   AND customer_id NOT IN (SELECT id FROM held)
   AND customer_id IN (SELECT id FROM customers WHERE closed_on >= '0000-01-01'
                         AND closed_on < @one_year)
   AND phone_number NOT LIKE '%*';

-- support-tickets: 2 years from closed_at.
DELETE FROM support_tickets
 WHERE closed_at >= '0000-01-01'
   AND closed_at < @two_years
   AND customer_id NOT IN (SELECT id FROM held);

-- consents-after-closure: 1 year after the account closed.
DELETE FROM consents
 WHERE customer_id NOT IN (SELECT id FROM held)
   AND customer_id IN (SELECT id FROM customers WHERE closed_on >= '0000-01-01'
                         AND closed_on < @one_year);

-- app-contacts-after-closure: 1 month after the account closed.
DELETE FROM app_contacts
 WHERE customer_id NOT IN (SELECT id FROM held)
   AND customer_id IN (SELECT id FROM customers WHERE closed_on >= '0000-01-01'
                         AND closed_on < @one_month);

-- portal-logins: 6 months from logged_in_at.
DELETE FROM portal_logins
 WHERE logged_in_at >= '0000-01-01'
   AND logged_in_at < @six_months
   AND customer_id NOT IN (SELECT id FROM held);

-- credit-checks: 2 years from checked_on.
DELETE FROM credit_checks
 WHERE checked_on >= '0000-01-01'
   AND checked_on < @two_years
   AND customer_id NOT IN (SELECT id FROM held);

-- disputes-resolved: damages-claims (5 years) from resolved_on.
DELETE FROM disputes
 WHERE resolved_on >= '0000-01-01'
   AND resolved_on < @damages_claims
   AND customer_id NOT IN (SELECT id FROM held);

COMMIT;
