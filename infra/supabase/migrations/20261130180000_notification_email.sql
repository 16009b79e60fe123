-- The address a watch's notifications are e-mailed to: the refresh worker
-- (service_role) asks once per notification it created, never a traveller.
--
-- Choices:
-- * A function rather than a grant on accounts.email to the worker's
--   queries: the worker learns one owner's address per call, for a watch
--   it is refreshing, and nothing else of the accounts table.
-- * SECURITY INVOKER like every function here; service_role reads both
--   tables already, RLS is unchanged.

create function public.watch_owner_email(watch_id uuid)
returns text
language sql stable security invoker set search_path = ''
as $$
  select a.email from public.watches w join public.accounts a on a.id = w.user_id
  where w.id = watch_owner_email.watch_id;
$$;

revoke execute on function public.watch_owner_email(uuid) from public, anon, authenticated;
grant execute on function public.watch_owner_email(uuid) to service_role;
