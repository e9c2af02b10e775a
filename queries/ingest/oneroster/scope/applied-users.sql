-- The users whose rows of a 1.1 users.csv ({{table}}) are applied: their roles come from those rows.
(SELECT user_pid FROM {{table}} WHERE wins)
