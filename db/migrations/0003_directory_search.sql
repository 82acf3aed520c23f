ALTER TABLE "organizations" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (organization_search_vector(name, name_nl, name_fr, description, description_nl, description_fr, services)) STORED;--> statement-breakpoint
CREATE INDEX "organizations_search_idx" ON "organizations" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "organizations_sectors_idx" ON "organizations" USING gin ("sectors");--> statement-breakpoint
CREATE INDEX "organizations_languages_idx" ON "organizations" USING gin ("languages");--> statement-breakpoint
CREATE INDEX "organizations_sort_name_idx" ON "organizations" USING btree (lower(liaison_unaccent("name")),"id");--> statement-breakpoint
CREATE INDEX "organizations_municipality_key_idx" ON "organizations" USING btree (lower(liaison_unaccent("municipality")));