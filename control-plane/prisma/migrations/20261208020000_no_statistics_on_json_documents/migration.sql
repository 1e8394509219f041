-- No planner statistics for the JSON documents stored with requests and audit events: no query
-- filters or sorts on their contents (they are read whole, by request, organization or time),
-- yet gathering statistics on them was most of what ANALYZE costs on these tables. On 50,000
-- audit events, ANALYZE "AuditEvent" took 340-370 ms with them and 100 ms without (PGlite, in
-- memory). On PGlite that time blocks the server's only thread (its maintenance loop stands in
-- for autovacuum, db/pglite-maintenance.ts); on PostgreSQL it is autovacuum's work. The other
-- columns keep their statistics, which the planner does use.
ALTER TABLE "AuditEvent" ALTER COLUMN "data" SET STATISTICS 0;
ALTER TABLE "AccessRequest" ALTER COLUMN "flowSnapshot" SET STATISTICS 0;
ALTER TABLE "AccessRequest" ALTER COLUMN "fields" SET STATISTICS 0;
