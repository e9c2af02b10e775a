-- Programmes a report can evaluate: id, name and the number of schools that ever took part.
SELECT g.programme_id, g.name, count(DISTINCT p.school_code) AS schools
FROM programmes g LEFT JOIN programme_participation p ON p.programme_id = g.programme_id
WHERE $programme IS NULL OR g.programme_id = $programme
GROUP BY ALL
ORDER BY g.programme_id
