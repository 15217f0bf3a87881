-- Each run of the service (see dev.procurator.common.instance.InstanceRegistry).
create table service_instance (
    id           uuid primary key,
    host         varchar(255)             not null,
    pid          bigint                   not null,
    version      varchar(64)              not null,
    started_at   timestamp with time zone not null,
    last_seen_at timestamp with time zone not null,
    stopped_at   timestamp with time zone
);
create index service_instance_started_at on service_instance (started_at desc);
