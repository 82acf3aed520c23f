-- Partner directory search (DESIGN.md, "Languages"): Dutch and French full-text search that ignores
-- accents and case. `unaccent` ships with PostgreSQL's contrib and is a trusted extension (PG 13+).
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
-- The `dutch`, `french` and `simple` configurations, with accents dropped before stemming: the
-- unaccent dictionary filters words with non-ASCII letters (ASCII words have no accents).
CREATE TEXT SEARCH CONFIGURATION liaison_dutch (COPY = pg_catalog.dutch);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION liaison_dutch
  ALTER MAPPING FOR word, hword, hword_part WITH public.unaccent, dutch_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION liaison_french (COPY = pg_catalog.french);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION liaison_french
  ALTER MAPPING FOR word, hword, hword_part WITH public.unaccent, french_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION liaison_simple (COPY = pg_catalog.simple);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION liaison_simple
  ALTER MAPPING FOR word, hword, hword_part WITH public.unaccent, simple;
--> statement-breakpoint
-- unaccent(text) is only STABLE (it looks its dictionary up by name); naming the dictionary makes
-- the result depend on the input alone, so it may be used in indexes (name order, municipality).
CREATE FUNCTION liaison_unaccent(input text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN public.unaccent('public.unaccent'::regdictionary, input);
--> statement-breakpoint
-- array_to_string is STABLE in general (any element type); for text it depends on the input alone.
CREATE FUNCTION liaison_join(items text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN array_to_string(items, ' ');
--> statement-breakpoint
-- The searchable text of an organisation: names (A), services (B), descriptions (C). Text whose
-- language is unknown (the main name, services, an imported description) goes through both the
-- Dutch and the French stemmer; names and services also through `simple`, so that a word typed in
-- part ("psych", "logem") finds them. Only immutable operators, so PostgreSQL inlines it into the
-- generated column: the text search parsing is most of the cost of inserting an organisation.
CREATE FUNCTION organization_search_vector(
  name text,
  name_nl text,
  name_fr text,
  description text,
  description_nl text,
  description_fr text,
  services text[]
) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN
    setweight(
      to_tsvector('liaison_simple'::regconfig, coalesce(name, '') || ' ' || coalesce(name_nl, '') || ' ' || coalesce(name_fr, '')),
      'A'
    )
    || setweight(to_tsvector('liaison_dutch'::regconfig, coalesce(name, '') || ' ' || coalesce(name_nl, '')), 'A')
    || setweight(to_tsvector('liaison_french'::regconfig, coalesce(name, '') || ' ' || coalesce(name_fr, '')), 'A')
    || setweight(to_tsvector('liaison_simple'::regconfig, coalesce(liaison_join(services), '')), 'B')
    || setweight(to_tsvector('liaison_dutch'::regconfig, coalesce(liaison_join(services), '')), 'B')
    || setweight(to_tsvector('liaison_french'::regconfig, coalesce(liaison_join(services), '')), 'B')
    || setweight(
      to_tsvector('liaison_dutch'::regconfig, coalesce(description, '') || ' ' || coalesce(description_nl, '')),
      'C'
    )
    || setweight(
      to_tsvector('liaison_french'::regconfig, coalesce(description, '') || ' ' || coalesce(description_fr, '')),
      'C'
    );
--> statement-breakpoint
-- The query for a search box's words: every word must match, in Dutch, in French, or as the start
-- of a word ("psych" finds "psychiatrie"). A stop word of either language (de, het, la, du…)
-- narrows nothing and is left out. The caller passes words of letters and digits only.
CREATE FUNCTION directory_tsquery(words text[]) RETURNS tsquery
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
  word text;
  nl tsquery;
  fr tsquery;
  part tsquery;
  result tsquery;
BEGIN
  FOREACH word IN ARRAY words LOOP
    nl := plainto_tsquery('liaison_dutch'::regconfig, word);
    fr := plainto_tsquery('liaison_french'::regconfig, word);
    CONTINUE WHEN numnode(nl) = 0 OR numnode(fr) = 0;
    part := nl || fr || to_tsquery('liaison_simple'::regconfig, quote_literal(lower(word)) || ':*');
    result := CASE WHEN result IS NULL THEN part ELSE result && part END;
  END LOOP;
  -- Only stop words: a query that matches nothing.
  RETURN coalesce(result, ''::tsquery);
END;
$$;
