CREATE TABLE {{counts}} (raw VARCHAR, rows BIGINT, pid VARCHAR)
