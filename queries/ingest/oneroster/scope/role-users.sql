-- The users a bulk roles.csv ({{table}}) lists: it replaces their roles.
(SELECT user_pid FROM {{table}} WHERE NOT rejected AND user_pid IS NOT NULL)
