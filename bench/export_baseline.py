#!/usr/bin/env python3
"""What an admin would write instead of `telcomply export`: a plain script on Python's
standard library (sqlite3 and json only) that collects one customer's rows, category by
category as in the example's data map, and writes them as one JSON file.

  bench/export_baseline.py DB CUSTOMER_NUMBER OUT.json

DB is a SQLite file or a postgresql:// URL; for PostgreSQL the script uses psycopg2 (Debian's
python3-psycopg2) and reads each table through a server-side cursor, so that the rows come in
batches rather than all at once.

Like bench/export_equivalent.sql it leaves out the art. 15 information, the audit record and
the atomic output file; it masks the other party's numbers the simple way.
"""

import json
import sqlite3
import sys

# (category, table, columns, condition on the customer's id), in the package's order.
SUBJECT = "customer_id = :id"
LINES = "subscription_id IN (SELECT id FROM subscriptions WHERE customer_id = :id)"
INVOICES = "invoice_id IN (SELECT id FROM invoices WHERE customer_id = :id)"
SOURCES = [
    ("account", "customers", ["customer_number", "company_name", "kvk_number", "sector",
                              "status", "created_on", "closed_on"], "id = :id"),
    ("contact", "customers", ["contact_first_name", "contact_last_name", "email", "phone",
                              "street", "postal_code", "city"], "id = :id"),
    ("financial", "customers", ["iban"], "id = :id"),
    ("financial", "payments", ["paid_on", "amount_cents", "iban", "method"], INVOICES),
    ("contract", "subscriptions", ["product", "phone_number", "started_on", "ended_on"], SUBJECT),
    ("traffic", "call_records", ["started_at", "duration_s", "direction", "caller_number",
                                 "callee_number"], LINES),
    ("billing", "call_records", ["cost_cents"], LINES),
    ("billing", "invoices", ["invoice_number", "issued_on", "due_on", "amount_cents",
                             "billing_name", "billing_address", "vat_number"], SUBJECT),
    ("support", "support_tickets", ["opened_at", "closed_at", "subject", "body"], SUBJECT),
    ("consent", "consents", ["purpose", "given_at", "withdrawn_at"], SUBJECT),
    ("app_contacts", "app_contacts", ["contact_name", "contact_number", "synced_at"], SUBJECT),
    ("usage", "portal_logins", ["logged_in_at", "ip_address", "user_agent"], SUBJECT),
    ("credit", "credit_checks", ["checked_on", "agency", "score", "outcome"], SUBJECT),
    ("dispute", "customers", ["legal_hold"], "id = :id"),
    ("dispute", "disputes", ["opened_on", "resolved_on", "description"], SUBJECT),
]
OTHER_PARTY = {"callee_number", "contact_number"}


def mask(value):
    if value is None or len(value) <= 4:
        return value
    return value[:-4] + "****"


class SQLite:
    def __init__(self, path):
        self.db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)

    def customer(self, number):
        return self.db.execute("SELECT id FROM customers WHERE customer_number = ? COLLATE NOCASE",
                               (number,)).fetchone()

    def rows(self, sql, params):
        return self.db.execute(sql, params)


class PostgreSQL:
    def __init__(self, url):
        import psycopg2  # only here: the SQLite baseline needs nothing outside the standard library
        self.db = psycopg2.connect(url)
        self.db.set_session(readonly=True)
        self.cursors = 0

    def customer(self, number):
        with self.db.cursor() as c:
            c.execute("SELECT id FROM customers WHERE lower(customer_number) = lower(%s)",
                      (number,))
            return c.fetchone()

    def rows(self, sql, params):
        self.cursors += 1
        cursor = self.db.cursor(name="rows%d" % self.cursors)  # server-side
        cursor.itersize = 10000
        cursor.execute(sql.replace(":id", "%(id)s"), params)
        return cursor


def main():
    location, customer_number, out_path = sys.argv[1:4]
    db = PostgreSQL(location) if location.startswith("postgresql://") else SQLite(location)
    row = db.customer(customer_number)
    if row is None:
        sys.exit("no such customer")
    params = {"id": row[0]}
    data = {}
    for category, table, columns, condition in SOURCES:
        records = data.setdefault(category, [])
        sql = "SELECT id, %s FROM %s WHERE %s" % (", ".join(columns), table, condition)
        for values in db.rows(sql, params):
            fields = {}
            for name, value in zip(columns, values[1:]):
                fields[name] = mask(value) if name in OTHER_PARTY else value
            records.append({"table": table, "key": values[0], "fields": fields})
    package = {"customer_number": customer_number,
               "summary": {category: len(records) for category, records in data.items()},
               "data": data}
    with open(out_path, "w", encoding="utf-8") as f:
        # json.dumps, not json.dump: only the one-shot call uses the C encoder, and this
        # baseline should be the fast version of what an admin would write.
        f.write(json.dumps(package, ensure_ascii=False))


if __name__ == "__main__":
    main()
