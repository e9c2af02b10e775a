-- Which of the batches the control plane names the warehouse holds.
SELECT CAST(batch_id AS VARCHAR) AS batch_id FROM loaded_batches WHERE CAST(batch_id AS VARCHAR) IN (SELECT unnest($1::VARCHAR[]))
