-- Personal access tokens may expire (common's token model: dev.procurator.common.token.StoredToken).
alter table access_token add column expires_at timestamp with time zone;
