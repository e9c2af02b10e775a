SELECT DISTINCT {{column}} AS v FROM input WHERE {{column}} IS NOT NULL AND {{column}} <> ''
