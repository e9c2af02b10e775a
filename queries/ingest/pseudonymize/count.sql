SELECT count(*) AS n FROM input
