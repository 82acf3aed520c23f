CREATE TABLE "lead_handovers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"from_user_id" uuid NOT NULL,
	"to_user_id" uuid NOT NULL,
	"previous_lead_becomes" text NOT NULL,
	"method" "consent_method" NOT NULL,
	"note" text,
	"consent_given_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_handovers_previous_lead" CHECK ("lead_handovers"."previous_lead_becomes" IN ('past', 'co_lead'))
);
--> statement-breakpoint
CREATE TABLE "plan_reopenings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"previous_closed_at" timestamp with time zone NOT NULL,
	"previous_closed_on" date,
	"previous_reason" text,
	"previous_reason_kind" "closure_reason",
	"previous_handover" text,
	"note" text,
	"reopened_by" uuid NOT NULL,
	"reopened_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "previous_plan_id" uuid;--> statement-breakpoint
ALTER TABLE "lead_handovers" ADD CONSTRAINT "lead_handovers_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_handovers" ADD CONSTRAINT "lead_handovers_from_user_id_users_id_fk" FOREIGN KEY ("from_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_handovers" ADD CONSTRAINT "lead_handovers_to_user_id_users_id_fk" FOREIGN KEY ("to_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_handovers" ADD CONSTRAINT "lead_handovers_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_reopenings" ADD CONSTRAINT "plan_reopenings_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_reopenings" ADD CONSTRAINT "plan_reopenings_reopened_by_users_id_fk" FOREIGN KEY ("reopened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_handovers_plan_idx" ON "lead_handovers" USING btree ("plan_id","recorded_at");--> statement-breakpoint
CREATE INDEX "plan_reopenings_plan_idx" ON "plan_reopenings" USING btree ("plan_id","reopened_at");--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_previous_plan_id_plans_id_fk" FOREIGN KEY ("previous_plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A handover's consent and a reopening are history, like grants: append-only (0001_append_only.sql).
CREATE TRIGGER lead_handovers_append_only BEFORE UPDATE OR DELETE ON lead_handovers
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER plan_reopenings_append_only BEFORE UPDATE OR DELETE ON plan_reopenings
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
