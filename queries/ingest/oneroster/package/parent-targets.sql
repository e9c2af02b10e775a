-- What a parentSourcedId may name: any row of the same file ({{table}}, key {{key}}; a parent may come later
-- in it) that carries content, or an active row of the roster state ({{state}}).
(SELECT {{key}} FROM {{table}} WHERE {{key}} IS NOT NULL AND NOT deleting UNION SELECT {{key}} FROM {{state}} WHERE status = 'active')
