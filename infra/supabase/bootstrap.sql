-- Gives a plain PostgreSQL the pieces Supabase already has, so the same
-- migrations run on both: the API roles and auth.uid() / auth.jwt().
-- Every statement checks first, so on Supabase (where all of this exists)
-- it changes nothing, and it can run any number of times.

do $$
begin
  -- Roles PostgREST switches to from the JWT's `role` claim. NOLOGIN: they
  -- are only ever reached with SET ROLE by the connecting (authenticator) role.
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    -- Supabase's service role bypasses row-level security; so does ours.
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

-- The connecting role must be able to become each API role (PostgREST's
-- authenticator pattern). On Supabase this grant already exists.
do $$
begin
  execute format('grant anon, authenticated, service_role to %I', current_user);
end
$$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

do $$
begin
  if not exists (
    select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'auth' and p.proname = 'jwt'
  ) then
    -- The claims PostgREST put in `request.jwt.claims` for this transaction.
    create function auth.jwt() returns jsonb
      language sql stable
      as $f$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $f$;
  end if;
  if not exists (
    select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'auth' and p.proname = 'uid'
  ) then
    -- The caller's user id (`sub`), or null for anonymous callers.
    create function auth.uid() returns uuid
      language sql stable
      as $f$ select nullif(auth.jwt() ->> 'sub', '')::uuid $f$;
  end if;
end
$$;

grant execute on function auth.jwt(), auth.uid() to anon, authenticated, service_role;

-- Where `chatpassagens migrate` records applied migrations, in the Supabase
-- CLI's own table, so `supabase db push` and this tool agree on what ran.
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);
