-- What the workers write: one row per item processed. Idempotent, run by the manager at startup.
CREATE TABLE IF NOT EXISTS processed_item (
	item BIGINT NOT NULL,
	written_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
