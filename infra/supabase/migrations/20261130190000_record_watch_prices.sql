-- One RPC records a refresh message's prices for all its watches: the
-- worker's store calls become one per distinct query instead of one per
-- watch (10,000 watches: 500 calls, not 10,000).
--
-- Choices:
-- * Same effect per watch as record_watch_price (a price point, the low
--   lowered, the lease released, the next check scheduled), set-based.
-- * Watches deleted since they were claimed are skipped, not an error: the
--   answer lists the ids recorded, so the worker notifies only those.
-- * service_role only, SECURITY INVOKER; RLS unchanged.

create function public.record_watch_prices(points jsonb, every_seconds integer)
returns jsonb
language sql volatile security invoker set search_path = ''
as $$
  with p as (
    select * from jsonb_to_recordset(points)
      as x(watch_id uuid, observed_at timestamptz, price numeric, currency text, provider text)
  ), updated as (
    update public.watches w set
      lowest_price = least(w.lowest_price, p.price),
      last_checked_at = p.observed_at,
      lease_until = null,
      next_check_at = now() + make_interval(secs => every_seconds)
    from p where w.id = p.watch_id
    returning w.id, w.user_id
  ), inserted as (
    insert into public.price_points (watch_id, user_id, observed_at, price, currency, provider)
    select p.watch_id, u.user_id, p.observed_at, p.price, p.currency, p.provider
    from p join updated u on u.id = p.watch_id
    returning watch_id
  )
  select coalesce(jsonb_agg(watch_id), '[]'::jsonb) from inserted;
$$;

revoke execute on function public.record_watch_prices(jsonb, integer) from public, anon, authenticated;
grant execute on function public.record_watch_prices(jsonb, integer) to service_role;
