-- The log-delivery trigger exists only once a log destination has: until then no audit write
-- runs it. Its early check (migration `log_delivery_skip_without_destinations`) still cost every
-- audit-writing statement a query, about 20 µs of database time, where log delivery is not used.
--
-- The first `log-destinations` entity inserted creates the trigger in its own transaction.
-- `CREATE TRIGGER` takes a SHARE ROW EXCLUSIVE lock on "AuditEvent", which waits for every
-- transaction that has written audit events to end and holds back new writers until the
-- destination commits. So an event either committed before the destination (and could not have
-- been queued for it before: its environment cannot list a destination that does not exist yet)
-- or is written after it, with the trigger in place. Nothing is lost that the trigger used to
-- queue (features/log-delivery/README.md).
--
-- The trigger is kept when the last destination is deleted: it then finds nothing, as before.
-- `SECURITY DEFINER`: the trigger is created as the owner of this migration, whatever role later
-- inserts the entity; `search_path` is pinned to this schema for the same reason.
CREATE FUNCTION "log_delivery_install"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_trigger WHERE tgrelid = '"AuditEvent"'::regclass AND tgname = 'AuditEvent_log_delivery'
  ) THEN
    -- OR REPLACE: two first destinations created at once both get here; the second waits for
    -- the first's lock and then replaces the trigger with the same one.
    CREATE OR REPLACE TRIGGER "AuditEvent_log_delivery" AFTER INSERT ON "AuditEvent"
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION "log_delivery_enqueue"();
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Entity_log_delivery_install" AFTER INSERT ON "Entity"
  FOR EACH ROW WHEN (NEW."kind" = 'log-destinations') EXECUTE FUNCTION "log_delivery_install"();

-- Databases without a destination drop the trigger now; the first destination brings it back.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "Entity" WHERE "kind" = 'log-destinations') THEN
    DROP TRIGGER IF EXISTS "AuditEvent_log_delivery" ON "AuditEvent";
  END IF;
END
$$;
