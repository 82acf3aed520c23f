CREATE TABLE "role_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"key" text NOT NULL,
	"name_nl" text NOT NULL,
	"name_fr" text NOT NULL,
	"name_en" text NOT NULL,
	"shares" jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"removed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_templates_organization_key" UNIQUE NULLS NOT DISTINCT("organization_id","key"),
	CONSTRAINT "role_templates_shares_array" CHECK (jsonb_typeof("role_templates"."shares") = 'array')
);
--> statement-breakpoint
ALTER TABLE "role_templates" ADD CONSTRAINT "role_templates_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "role_templates_organization_idx" ON "role_templates" USING btree ("organization_id","position");--> statement-breakpoint
-- The default role templates (issue 15), read by every organisation until its admin changes them.
-- A contribute grant means something on actions and meetings only (DESIGN.md): elsewhere, read.
-- Secrecy-bound sections (background) are proposed only where the role is bound by professional
-- secrecy; the dialog and the server still leave them out for someone who is not.
INSERT INTO "role_templates" ("organization_id", "key", "name_nl", "name_fr", "name_en", "shares", "position") VALUES
  (NULL, 'job_coach', 'Jobcoach', 'Job coach', 'Job coach',
   '[{"section":"goals","access":"read"},{"section":"actions","access":"contribute"}]', 1),
  (NULL, 'psychiatrist', 'Psychiater', 'Psychiatre', 'Psychiatrist',
   '[{"section":"background","access":"read"},{"section":"meetings","access":"contribute"},{"section":"goals","access":"read"}]', 2),
  (NULL, 'housing_counsellor', 'Woonbegeleider', 'Accompagnateur logement', 'Housing counsellor',
   '[{"section":"agreements","access":"read"},{"section":"actions","access":"contribute"}]', 3),
  (NULL, 'debt_counsellor', 'Schuldbemiddelaar', 'Médiateur de dettes', 'Debt counsellor',
   '[{"section":"goals","access":"read"},{"section":"actions","access":"contribute"},{"section":"agreements","access":"read"}]', 4),
  (NULL, 'general_practitioner', 'Huisarts', 'Médecin généraliste', 'General practitioner',
   '[{"section":"background","access":"read"},{"section":"crisis","access":"read"},{"section":"goals","access":"read"}]', 5),
  (NULL, 'public_welfare_social_worker', 'Maatschappelijk werker OCMW', 'Assistant social du CPAS', 'Social worker (CPAS/OCMW)',
   '[{"section":"goals","access":"read"},{"section":"actions","access":"contribute"},{"section":"agreements","access":"read"}]', 6),
  (NULL, 'homeless_service_worker', 'Medewerker daklozenzorg', 'Travailleur du secteur sans-abri', 'Homeless service worker',
   '[{"section":"agreements","access":"read"},{"section":"crisis","access":"read"},{"section":"actions","access":"contribute"}]', 7),
  (NULL, 'family_support', 'Gezinsbegeleider', 'Accompagnateur familial', 'Family support worker',
   '[{"section":"network","access":"read"},{"section":"goals","access":"read"},{"section":"meetings","access":"read"}]', 8);
