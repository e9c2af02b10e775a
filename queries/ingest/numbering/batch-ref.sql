SELECT batch_ref FROM main.batch_refs WHERE batch_id = $1::UUID
