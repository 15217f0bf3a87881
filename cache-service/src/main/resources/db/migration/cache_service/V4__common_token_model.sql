-- Cache tokens follow common's token model (StoredToken): a revoked token keeps its row, tokens may expire, and
-- their last use is recorded. One statement set for PostgreSQL and H2.
ALTER TABLE cache_token ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE cache_token ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE cache_token ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
