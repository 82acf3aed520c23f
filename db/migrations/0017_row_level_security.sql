-- A second wall behind the policies (issue 16): row-level security on every plan-scoped table, so
-- that a query which forgets the ability's condition still returns nothing the user may not read.
-- The same rules as policies/ability.ts, written once more in SQL; test/consent/matrix.test.ts runs
-- the consent matrix with the application's SQL condition switched off to show these rules alone
-- withhold every withheld row.
--
-- Who a statement runs for is set per transaction by db/client.ts: `liaison.user_id` (the signed-in
-- user, `set_config(…, true)`), or `liaison.system` for the flows that act for nobody in particular
-- (the session lookup and the plan facts the policies are built from, invitations, background jobs).
-- Neither set: no plan-scoped row at all. The functions below read the tables as their owner with
-- `liaison.system` on (their own SET), so they see what they need to decide and nothing leaves them
-- but plan ids.
CREATE FUNCTION liaison_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('liaison.user_id', true), '')::uuid
$$;
--> statement-breakpoint
-- A member without an account, read "as they would read" (a plan printed for them): their grants only.
CREATE FUNCTION liaison_member_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('liaison.member_id', true), '')::uuid
$$;
--> statement-breakpoint
CREATE FUNCTION liaison_is_system() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('liaison.system', true), '') = 'on'
$$;
--> statement-breakpoint
-- The plans whose every section the user reads: as lead, as co-lead (a current member of the lead's
-- organisation marked co-lead), as the client (policies/ability.ts, `defineWholePlanReadRules`).
CREATE FUNCTION liaison_whole_plans() RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET liaison.system = 'on' AS $$
  SELECT coalesce(array_agg(DISTINCT plan_id), '{}') FROM (
    SELECT p.id AS plan_id FROM plans p JOIN users u ON u.id = p.lead_user_id
     WHERE p.lead_user_id = liaison_user_id() AND u.kind = 'professional'
    UNION ALL
    SELECT p.id FROM clients c JOIN plans p ON p.client_id = c.id JOIN users u ON u.id = c.user_id
     WHERE c.user_id = liaison_user_id() AND u.kind = 'client'
    UNION ALL
    SELECT m.plan_id FROM members m JOIN plans p ON p.id = m.plan_id JOIN users u ON u.id = m.user_id
     WHERE m.user_id = liaison_user_id() AND u.kind = 'professional' AND m.co_lead
       AND m.status = 'current' AND m.removed_at IS NULL AND u.organization_id = p.organization_id
  ) whole
$$;
--> statement-breakpoint
-- The open plans where the user reads `wanted` (any section when null) as a partner: a current
-- membership under a grant active now, the secrecy-bound section (`background`, domain/sections.ts)
-- only for professionals bound by secrecy (`activeSectionsForPartner`). `discussion`: only for those
-- bound by secrecy (a meeting's discussion notes).
CREATE FUNCTION liaison_partner_plans(wanted section, discussion boolean DEFAULT false) RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET liaison.system = 'on' AS $$
  SELECT coalesce(array_agg(DISTINCT m.plan_id), '{}')
    FROM members m
    LEFT JOIN users u ON u.id = m.user_id
    JOIN plans p ON p.id = m.plan_id
    JOIN grants g ON g.member_id = m.id AND g.plan_id = m.plan_id
    LEFT JOIN grant_revocations r ON r.grant_id = g.id
   WHERE ((m.user_id = liaison_user_id() AND u.kind IN ('professional', 'supporter'))
          OR (m.id = liaison_member_id() AND m.user_id IS NULL))
     AND m.status = 'current' AND m.removed_at IS NULL AND p.phase <> 'closed'
     AND (wanted IS NULL OR g.section = wanted)
     AND g.valid_from <= now() AND (g.valid_until IS NULL OR g.valid_until > now())
     AND (r.revoked_at IS NULL OR r.revoked_at > now())
     AND (g.section <> 'background' OR coalesce(u.kind = 'professional' AND u.secrecy_bound, false))
     AND (NOT discussion OR coalesce(u.kind = 'professional' AND u.secrecy_bound, false))
$$;
--> statement-breakpoint
-- The user's own current member rows: they read their own membership and their own grants.
CREATE FUNCTION liaison_own_member_ids() RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET liaison.system = 'on' AS $$
  SELECT coalesce(array_agg(m.id), '{}') FROM members m LEFT JOIN users u ON u.id = m.user_id
   WHERE ((m.user_id = liaison_user_id() AND u.kind IN ('professional', 'supporter'))
          OR (m.id = liaison_member_id() AND m.user_id IS NULL))
     AND m.status = 'current' AND m.removed_at IS NULL
$$;
--> statement-breakpoint
ALTER TABLE plans ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE plans FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A lead reads the plan they are inserting (its own column, so `insert … returning` passes).
CREATE POLICY plans_readers ON plans FOR ALL
  USING (liaison_is_system() OR lead_user_id = liaison_user_id()
         OR id = ANY ((SELECT liaison_whole_plans())::uuid[]) OR id = ANY ((SELECT liaison_partner_plans(NULL))::uuid[]))
  WITH CHECK (liaison_is_system() OR lead_user_id = liaison_user_id()
              OR id = ANY ((SELECT liaison_whole_plans())::uuid[]));
--> statement-breakpoint
ALTER TABLE clients ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE clients FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A client row is read with a plan of theirs; registering one inserts it before its plan exists.
CREATE POLICY clients_readers ON clients FOR SELECT
  USING (liaison_is_system() OR user_id = liaison_user_id()
         OR id IN (SELECT client_id FROM plans));
--> statement-breakpoint
CREATE POLICY clients_registration ON clients FOR INSERT WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY clients_updates ON clients FOR UPDATE
  USING (liaison_is_system() OR id IN (SELECT client_id FROM plans WHERE id = ANY ((SELECT liaison_whole_plans())::uuid[])));
--> statement-breakpoint
ALTER TABLE members ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE members FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Partners read the network's current, visible members and their own row (`definePartnerReadRules`).
CREATE POLICY members_readers ON members FOR SELECT
  USING (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[])
         OR (id = ANY ((SELECT liaison_own_member_ids())::uuid[])
             AND plan_id = ANY ((SELECT liaison_partner_plans(NULL))::uuid[]))
         OR (plan_id = ANY ((SELECT liaison_partner_plans('network'))::uuid[])
             AND NOT hidden AND status = 'current' AND removed_at IS NULL));
--> statement-breakpoint
-- The network is written by its lead and co-leads (and by the flows for nobody in particular).
CREATE POLICY members_inserts ON members FOR INSERT
  WITH CHECK (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]));
--> statement-breakpoint
CREATE POLICY members_updates ON members FOR UPDATE
  USING (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]))
  WITH CHECK (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]));
--> statement-breakpoint
CREATE POLICY members_deletes ON members FOR DELETE
  USING (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]));
--> statement-breakpoint
ALTER TABLE grants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE grants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY grants_readers ON grants FOR ALL
  USING (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[])
         OR member_id = ANY ((SELECT liaison_own_member_ids())::uuid[]))
  WITH CHECK (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]));
--> statement-breakpoint
ALTER TABLE grant_revocations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE grant_revocations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY grant_revocations_readers ON grant_revocations FOR ALL
  USING (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[])
         OR grant_id IN (SELECT id FROM grants WHERE member_id = ANY ((SELECT liaison_own_member_ids())::uuid[])))
  WITH CHECK (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]));
--> statement-breakpoint
ALTER TABLE visibility_decisions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE visibility_decisions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY visibility_decisions_readers ON visibility_decisions FOR ALL
  USING (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]))
  WITH CHECK (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]));
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The access log: its plan's lead, co-leads and client; everyone appends their own events.
CREATE POLICY audit_events_readers ON audit_events FOR SELECT
  USING (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]));
--> statement-breakpoint
CREATE POLICY audit_events_appenders ON audit_events FOR INSERT WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE access_codes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE access_codes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Letters, invitations and reset links: their holder, who made them, the lead of their plan.
CREATE POLICY access_codes_holders ON access_codes FOR ALL
  USING (liaison_is_system() OR user_id = liaison_user_id() OR created_by = liaison_user_id()
         OR (plan_id IS NOT NULL AND plan_id = ANY ((SELECT liaison_whole_plans())::uuid[])))
  WITH CHECK (liaison_is_system() OR user_id = liaison_user_id() OR created_by = liaison_user_id()
              OR (plan_id IS NOT NULL AND plan_id = ANY ((SELECT liaison_whole_plans())::uuid[])));
--> statement-breakpoint
-- The sections' own tables: whoever reads the section reads (and, through the policies, writes) them.
DO $$
DECLARE
  section_table record;
BEGIN
  FOR section_table IN
    SELECT * FROM (VALUES
      ('plan_requests', 'request'), ('goals', 'goals'), ('actions', 'actions'),
      ('action_entries', 'actions'),
      ('agreements', 'agreements'), ('crisis_plans', 'crisis'), ('backgrounds', 'background'),
      ('meetings', 'meetings'), ('meeting_participants', 'meetings'),
      ('evaluations', 'evaluations'), ('evaluation_goals', 'evaluations'),
      ('evaluation_contributions', 'evaluations'), ('closures', 'closure')
    ) AS t(name, section)
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', section_table.name);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', section_table.name);
    EXECUTE format(
      'CREATE POLICY %I ON %I FOR ALL
         USING (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[])
                OR plan_id = ANY ((SELECT liaison_partner_plans(%L))::uuid[]))
         WITH CHECK (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[])
                     OR plan_id = ANY ((SELECT liaison_partner_plans(%L))::uuid[]))',
      section_table.name || '_readers', section_table.name, section_table.section, section_table.section);
  END LOOP;
END
$$;
--> statement-breakpoint
ALTER TABLE meeting_notes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE meeting_notes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A meeting's discussion notes: only for readers bound by professional secrecy.
CREATE POLICY meeting_notes_readers ON meeting_notes FOR ALL
  USING (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[])
         OR plan_id = ANY ((SELECT liaison_partner_plans('meetings', true))::uuid[]))
  WITH CHECK (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[])
              OR plan_id = ANY ((SELECT liaison_partner_plans('meetings', true))::uuid[]));
--> statement-breakpoint
-- Whoever reads an action reads who does it (DESIGN.md, "Sections"): the owner's name, part and
-- organisation, even when the network is not shared with them — and nothing else of the member row,
-- which row-level security keeps from them. `caller_is_system`: the caller's own scope (inside this
-- function `liaison.system` is on).
CREATE FUNCTION liaison_action_owner(action uuid, caller_is_system boolean) RETURNS json
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET liaison.system = 'on' AS $$
  SELECT json_build_object('name', coalesce(u.name, m.name, ''), 'relation', m.relation, 'organization', o.name)
    FROM actions a
    JOIN members m ON m.id = a.owner_member_id AND m.removed_at IS NULL
    LEFT JOIN users u ON u.id = m.user_id
    LEFT JOIN organizations o ON o.id = m.organization_id
   WHERE a.id = action
     AND (caller_is_system OR a.plan_id = ANY (liaison_whole_plans())
          OR a.plan_id = ANY (liaison_partner_plans('actions')))
$$;
--> statement-breakpoint
-- The consent and continuity records of the whole plan, and the client's messages to their lead:
-- the lead, co-leads and the client.
DO $$
DECLARE
  whole_plan_table text;
BEGIN
  FOREACH whole_plan_table IN ARRAY ARRAY['client_messages', 'lead_handovers', 'plan_reopenings']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', whole_plan_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', whole_plan_table);
    EXECUTE format(
      'CREATE POLICY %I ON %I FOR ALL
         USING (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]))
         WITH CHECK (liaison_is_system() OR plan_id = ANY ((SELECT liaison_whole_plans())::uuid[]))',
      whole_plan_table || '_readers', whole_plan_table);
  END LOOP;
END
$$;
--> statement-breakpoint
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A notice is its recipient's; it is written by the change that causes it, whoever makes it.
CREATE POLICY notifications_recipients ON notifications FOR SELECT
  USING (liaison_is_system() OR recipient_user_id = liaison_user_id());
--> statement-breakpoint
CREATE POLICY notifications_read_marks ON notifications FOR UPDATE
  USING (liaison_is_system() OR recipient_user_id = liaison_user_id())
  WITH CHECK (liaison_is_system() OR recipient_user_id = liaison_user_id());
--> statement-breakpoint
CREATE POLICY notifications_writers ON notifications FOR INSERT WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE plan_visits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE plan_visits FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- When someone last looked at a plan is theirs alone.
CREATE POLICY plan_visits_visitors ON plan_visits FOR ALL
  USING (liaison_is_system() OR user_id = liaison_user_id())
  WITH CHECK (liaison_is_system() OR user_id = liaison_user_id());
