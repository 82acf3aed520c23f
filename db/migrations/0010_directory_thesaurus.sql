-- The directory search across languages (issue #15): the query side of the thesaurus in
-- db/directory/thesaurus. expandSearchWords turns a search's words into groups, one per concept
-- named (or per other word): [{"words": [...], "nl": [...], "fr": [...], "en": [...]}]. The
-- organisations' search vectors are unchanged: terms are matched as phrases in them, through the
-- same GIN index. Words and terms are values, never tsquery syntax.
--
-- The query: a group matches its words as directory_tsquery does (every word, in Dutch, French
-- or as a word's start) or any of its terms as a phrase: Dutch terms with the Dutch
-- configuration, French ones with the French, English ones with both (English text in the
-- directory has no configuration of its own). Groups are AND-ed.
-- Every term of the groups as a phrase query, once each. The search ranks an organisation by
-- how many of them it matches: one described with several of a concept's words ("entreprise de
-- travail adapté", "job coaching", "beschutte werkplaats") is more surely what was asked for than
-- one that mentions a single word of it.
CREATE FUNCTION directory_term_tsqueries(groups jsonb) RETURNS tsquery[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN ARRAY(
    SELECT DISTINCT phrase FROM (
      SELECT phraseto_tsquery('liaison_dutch'::regconfig, term) AS phrase
        FROM jsonb_array_elements(groups) AS grp, jsonb_array_elements_text(grp -> 'nl') AS term
      UNION ALL
      SELECT phraseto_tsquery('liaison_french'::regconfig, term)
        FROM jsonb_array_elements(groups) AS grp, jsonb_array_elements_text(grp -> 'fr') AS term
      UNION ALL
      SELECT phraseto_tsquery('liaison_dutch'::regconfig, term) || phraseto_tsquery('liaison_french'::regconfig, term)
        FROM jsonb_array_elements(groups) AS grp, jsonb_array_elements_text(grp -> 'en') AS term
    ) AS terms
    WHERE numnode(phrase) > 0
  );
--> statement-breakpoint
CREATE FUNCTION directory_expanded_tsquery(groups jsonb) RETURNS tsquery
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
  grp jsonb;
  phrase tsquery;
  part tsquery;
  result tsquery;
BEGIN
  FOR grp IN SELECT value FROM jsonb_array_elements(groups) LOOP
    part := directory_tsquery(ARRAY(SELECT jsonb_array_elements_text(grp -> 'words')));
    FOREACH phrase IN ARRAY directory_term_tsqueries(jsonb_build_array(grp)) LOOP
      part := CASE WHEN numnode(part) = 0 THEN phrase ELSE part || phrase END;
    END LOOP;
    -- A group of stop words only narrows nothing.
    CONTINUE WHEN numnode(part) = 0;
    result := CASE WHEN result IS NULL THEN part ELSE result && part END;
  END LOOP;
  -- Nothing to search for: a query that matches nothing.
  RETURN coalesce(result, ''::tsquery);
END;
$$;
