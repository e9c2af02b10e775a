CREATE TABLE {{years}} AS SELECT DISTINCT school_code, academic_year FROM {{rows}} WHERE NOT rejected
