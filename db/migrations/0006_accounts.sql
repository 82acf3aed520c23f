CREATE TYPE "public"."access_code_purpose" AS ENUM('activation', 'invitation', 'password_reset');--> statement-breakpoint
ALTER TYPE "public"."user_kind" ADD VALUE 'supporter';--> statement-breakpoint
CREATE TABLE "access_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purpose" "access_code_purpose" NOT NULL,
	"code_digest" text NOT NULL,
	"user_id" uuid,
	"plan_id" uuid,
	"member_id" uuid,
	"organization_id" uuid,
	"email" text,
	"name" text,
	"account_kind" "user_kind",
	"stated_profession" text,
	"locale" "locale" DEFAULT 'nl' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"failed_attempts" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "members" DROP CONSTRAINT "members_kind_shape";--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sign_in_name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "secrecy_confirmed_by" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "secrecy_profession" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "secrecy_confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "access_codes" ADD CONSTRAINT "access_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_codes" ADD CONSTRAINT "access_codes_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_codes" ADD CONSTRAINT "access_codes_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_codes" ADD CONSTRAINT "access_codes_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_codes" ADD CONSTRAINT "access_codes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_codes_digest_idx" ON "access_codes" USING btree ("code_digest");--> statement-breakpoint
CREATE INDEX "access_codes_user_idx" ON "access_codes" USING btree ("user_id","purpose");--> statement-breakpoint
CREATE INDEX "access_codes_member_idx" ON "access_codes" USING btree ("member_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_secrecy_confirmed_by_users_id_fk" FOREIGN KEY ("secrecy_confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "users_sign_in_name_lower_idx" ON "users" USING btree (lower("sign_in_name"));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_sign_in_by" CHECK ("users"."email" IS NOT NULL OR "users"."sign_in_name" IS NOT NULL);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_sign_in_name_shape" CHECK ("users"."sign_in_name" IS NULL OR position('@' in "users"."sign_in_name") = 0);--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_kind_shape" CHECK (("members"."kind" = 'professional' AND ("members"."user_id" IS NOT NULL OR "members"."name" IS NOT NULL)) OR ("members"."kind" = 'informal' AND "members"."name" IS NOT NULL));