CREATE TABLE "evaluation_contributions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"author_user_id" uuid NOT NULL,
	"author_member_id" uuid,
	"goals_rating" smallint,
	"goals_words" text DEFAULT '' NOT NULL,
	"collaboration_rating" smallint,
	"collaboration_words" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_contributions_rating_range" CHECK (("evaluation_contributions"."goals_rating" IS NULL OR "evaluation_contributions"."goals_rating" BETWEEN 1 AND 5) AND ("evaluation_contributions"."collaboration_rating" IS NULL OR "evaluation_contributions"."collaboration_rating" BETWEEN 1 AND 5))
);
--> statement-breakpoint
ALTER TABLE "evaluation_contributions" ADD CONSTRAINT "evaluation_contributions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_contributions" ADD CONSTRAINT "evaluation_contributions_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_contributions" ADD CONSTRAINT "evaluation_contributions_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_contributions" ADD CONSTRAINT "evaluation_contributions_author_member_id_members_id_fk" FOREIGN KEY ("author_member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_contributions_member_idx" ON "evaluation_contributions" USING btree ("plan_id","evaluation_id","author_member_id") WHERE "evaluation_contributions"."author_member_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_contributions_client_idx" ON "evaluation_contributions" USING btree ("plan_id","evaluation_id") WHERE "evaluation_contributions"."author_member_id" IS NULL;