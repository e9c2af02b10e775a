-- Early warning (見守り): each school's current watch list, refreshed after every ingest for the schools it
-- touched (queries/indicators). One row per student and indicator that fired, by pseudonym only: the
-- warehouse stays pseudonymous; a school re-identifies its own students from its own roster file at the
-- moment it reads the list (docs/watch-lists.md), and nothing of that is stored.
--
--   watch_flags       the indicators that fired for each student on the school's current list: the value,
--                     since when by the data (`since`), and the as-of date of the first refresh in an unbroken
--                     line of refreshes that found it (`first_flagged_on`)
--   watch_refreshes   per school: the as-of date and time of the list's last refresh, and the thresholds used

CREATE TABLE watch_flags (
  school_code       VARCHAR NOT NULL,
  student_pid       VARCHAR NOT NULL,
  indicator_id      VARCHAR NOT NULL,
  value             DOUBLE,
  since             DATE,
  first_flagged_on  DATE NOT NULL,
  PRIMARY KEY (school_code, student_pid, indicator_id)
);

CREATE TABLE watch_refreshes (
  school_code       VARCHAR PRIMARY KEY,
  as_of             DATE NOT NULL,
  refreshed_at      TIMESTAMPTZ NOT NULL,
  thresholds        VARCHAR NOT NULL
);
