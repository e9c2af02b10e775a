-- A mailbox two students share links neither ({{shared}}: shared-mailboxes.sql).
DELETE FROM {{mbox_ids}} WHERE line IN (SELECT line FROM {{shared}})
