-- What the renderer noted about a succeeded job that the user should know, e.g. that the model read
-- only the first part of a long prompt. NULL when there is nothing to say.
ALTER TABLE jobs ADD COLUMN warning TEXT;
