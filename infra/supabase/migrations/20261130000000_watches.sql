-- Watches (a traveller's saved query whose price is followed), their price
-- points, and notifications, with row-level security.
--
-- Choices:
-- * As in the first migration: RLS on every table, explicit grants after
--   revoking from PUBLIC, data logic in SECURITY INVOKER functions so RLS
--   applies inside them exactly as outside. Price points and notifications
--   carry their owner (denormalised) so their policies need no join.
-- * Travellers change watches only through the functions below; the columns
--   the refresh owns (lowest price, schedule, lease) are not granted to them.
-- * The scheduled refresh runs as service_role: it claims due watches with
--   FOR UPDATE SKIP LOCKED and a lease, so overlapping runs never take the
--   same watch, and a run that dies leaves its watches to the next one once
--   the lease ends.
-- * At most one notification per watch and day: a unique key, so a queue
--   message delivered twice cannot notify twice.

create table public.watches (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references public.accounts (id) on delete cascade,
  -- The search for the window's first date, as the one search parser built it.
  query jsonb not null check (jsonb_typeof(query) = 'object'),
  -- The distinct-query key the refresh groups by (route, window, passengers, cabin, currency, stops).
  query_key text not null check (char_length(query_key) between 1 and 300),
  departure_from date not null,
  departure_to date not null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  target_price numeric(14, 2) check (target_price > 0),
  language text not null default 'pt' check (language in ('pt', 'en')),
  status text not null default 'active' check (status in ('active', 'paused', 'closed')),
  lowest_price numeric(14, 2),
  last_checked_at timestamptz,
  -- Refresh schedule and lease (service_role only).
  next_check_at timestamptz not null default now(),
  lease_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- A window of at most 30 days (the API says so first, with the field's name).
  check (departure_to >= departure_from and departure_to - departure_from <= 30)
);
create index watches_owner on public.watches (user_id, created_at desc, id desc);
-- Serves the claim: active watches by due time.
create index watches_due on public.watches (next_check_at) where status = 'active';
alter table public.watches enable row level security;
revoke all on public.watches from public, anon, authenticated;
grant select, insert, delete on public.watches to authenticated;
grant update (status, target_price, updated_at) on public.watches to authenticated;
grant all on public.watches to service_role;
create policy watches_own on public.watches
  for all to authenticated
  using (user_id = auth.uid())
  with check (user_id = auth.uid());

create table public.price_points (
  id bigint generated always as identity primary key,
  watch_id uuid not null references public.watches (id) on delete cascade,
  user_id uuid not null references public.accounts (id) on delete cascade,
  observed_at timestamptz not null,
  price numeric(14, 2) not null check (price > 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  provider text not null check (char_length(provider) between 1 and 40)
);
create index price_points_series on public.price_points (watch_id, observed_at);
alter table public.price_points enable row level security;
revoke all on public.price_points from public, anon, authenticated;
grant select on public.price_points to authenticated;
grant all on public.price_points to service_role;
create policy price_points_own on public.price_points
  for select to authenticated using (user_id = auth.uid());

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  watch_id uuid not null references public.watches (id) on delete cascade,
  user_id uuid not null references public.accounts (id) on delete cascade,
  day date not null,
  price numeric(14, 2) not null,
  currency text not null,
  message text not null check (char_length(message) between 1 and 1000),
  created_at timestamptz not null default now(),
  read_at timestamptz,
  unique (watch_id, day)
);
create index notifications_recent on public.notifications (user_id, created_at desc, id desc);
alter table public.notifications enable row level security;
revoke all on public.notifications from public, anon, authenticated;
grant select on public.notifications to authenticated;
grant update (read_at) on public.notifications to authenticated;
grant all on public.notifications to service_role;
create policy notifications_own on public.notifications
  for all to authenticated
  using (user_id = auth.uid())
  with check (user_id = auth.uid());

-- Traveller functions (authenticated; RLS applies) --------------------------------

-- Fails with PT409 when the caller already has 20 active watches. The count
-- runs under a per-user transaction lock, so two concurrent creations (or a
-- creation and a resume) cannot both see 19.
create function public.watch_limit_check()
returns void
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('watches:' || auth.uid()::text, 0));
  if (select count(*) from public.watches w where w.user_id = auth.uid() and w.status = 'active') >= 20 then
    raise exception 'at most 20 active watches; pause or delete one first' using errcode = 'PT409';
  end if;
end;
$$;

create function public.create_watch(
  query jsonb, query_key text, departure_from date, departure_to date, currency text,
  target_price numeric default null, language text default 'pt')
returns public.watches
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  created public.watches;
begin
  perform public.watch_limit_check();
  insert into public.watches (query, query_key, departure_from, departure_to, currency, target_price, language)
  values (create_watch.query, create_watch.query_key, create_watch.departure_from, create_watch.departure_to,
          create_watch.currency, create_watch.target_price, create_watch.language)
  returning * into created;
  return created;
end;
$$;

create function public.list_watches()
returns setof public.watches
language sql stable security invoker set search_path = ''
as $$
  select * from public.watches w order by w.created_at desc, w.id desc;
$$;

create function public.get_watch(id uuid)
returns public.watches
language plpgsql stable security invoker set search_path = ''
as $$
declare
  found_watch public.watches;
begin
  select * into found_watch from public.watches w where w.id = get_watch.id;
  if not found then
    raise exception 'watch not found' using errcode = 'PT404';
  end if;
  return found_watch;
end;
$$;

-- Pause ('paused'), resume ('active') and/or change the target
-- (clear_target removes it). A closed watch cannot be resumed (PT409).
create function public.update_watch(id uuid, status text default null, target_price numeric default null, clear_target boolean default false)
returns public.watches
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  current_watch public.watches;
  changed public.watches;
begin
  select * into current_watch from public.watches w where w.id = update_watch.id for update;
  if not found then
    raise exception 'watch not found' using errcode = 'PT404';
  end if;
  if update_watch.status is not null and update_watch.status not in ('active', 'paused') then
    raise exception 'status must be active or paused' using errcode = '22023';
  end if;
  if update_watch.status is not null and current_watch.status = 'closed' then
    raise exception 'the watch is closed: its dates have passed' using errcode = 'PT409';
  end if;
  if update_watch.status = 'active' and current_watch.status <> 'active' then
    perform public.watch_limit_check();
  end if;
  update public.watches w set
    status = coalesce(update_watch.status, w.status),
    target_price = case
      when update_watch.clear_target then null
      else coalesce(update_watch.target_price, w.target_price) end,
    updated_at = now()
  where w.id = update_watch.id
  returning * into changed;
  return changed;
end;
$$;

create function public.delete_watch(id uuid)
returns void
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  delete from public.watches w where w.id = delete_watch.id;
  if not found then
    raise exception 'watch not found' using errcode = 'PT404';
  end if;
end;
$$;

create function public.watch_prices(id uuid)
returns setof public.price_points
language plpgsql stable security invoker set search_path = ''
as $$
begin
  if not exists (select 1 from public.watches w where w.id = watch_prices.id) then
    raise exception 'watch not found' using errcode = 'PT404';
  end if;
  return query
    select * from public.price_points p where p.watch_id = watch_prices.id order by p.observed_at, p.id;
end;
$$;

create function public.list_notifications(page_size integer default 20, before_created_at timestamptz default null, before_id uuid default null)
returns setof public.notifications
language sql stable security invoker set search_path = ''
as $$
  select * from public.notifications n
  where before_created_at is null or (n.created_at, n.id) < (before_created_at, before_id)
  order by n.created_at desc, n.id desc
  limit least(greatest(page_size, 1), 100);
$$;

create function public.unread_notifications()
returns integer
language sql stable security invoker set search_path = ''
as $$
  select count(*)::integer from public.notifications n where n.read_at is null;
$$;

-- Marks the listed notifications read (ids: a JSON array of UUIDs), or all
-- of them when ids is null. Returns how many changed.
create function public.read_notifications(ids jsonb default null)
returns integer
language sql volatile security invoker set search_path = ''
as $$
  with changed as (
    update public.notifications n set read_at = now()
    where n.read_at is null
      and (ids is null or n.id::text in (select jsonb_array_elements_text(ids)))
    returning 1
  )
  select count(*)::integer from changed;
$$;

revoke execute on function
  public.watch_limit_check(),
  public.create_watch(jsonb, text, date, date, text, numeric, text),
  public.list_watches(),
  public.get_watch(uuid),
  public.update_watch(uuid, text, numeric, boolean),
  public.delete_watch(uuid),
  public.watch_prices(uuid),
  public.list_notifications(integer, timestamptz, uuid),
  public.unread_notifications(),
  public.read_notifications(jsonb)
from public, anon;
grant execute on function
  public.watch_limit_check(),
  public.create_watch(jsonb, text, date, date, text, numeric, text),
  public.list_watches(),
  public.get_watch(uuid),
  public.update_watch(uuid, text, numeric, boolean),
  public.delete_watch(uuid),
  public.watch_prices(uuid),
  public.list_notifications(integer, timestamptz, uuid),
  public.unread_notifications(),
  public.read_notifications(jsonb)
to authenticated, service_role;

-- Refresh functions (service_role only) -------------------------------------------

-- Takes up to `batch` due, unleased active watches and leases them for
-- `lease_seconds`. SKIP LOCKED lets a concurrent claim pass rows this one
-- holds; the lease keeps them from being claimed again after it commits.
create function public.claim_due_watches(batch integer, lease_seconds integer)
returns setof public.watches
language sql volatile security invoker set search_path = ''
as $$
  with due as (
    select w.id from public.watches w
    where w.status = 'active' and w.next_check_at <= now()
      and (w.lease_until is null or w.lease_until <= now())
    order by w.next_check_at, w.id
    limit least(greatest(batch, 1), 1000)
    for update skip locked
  )
  update public.watches w set lease_until = now() + make_interval(secs => lease_seconds)
  from due where w.id = due.id
  returning w.*;
$$;

-- Adds a price point, lowers the watch's low, releases its lease and
-- schedules the next check.
create function public.record_watch_price(
  watch_id uuid, observed_at timestamptz, price numeric, currency text, provider text, every_seconds integer)
returns void
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  owner uuid;
begin
  update public.watches w set
    lowest_price = least(w.lowest_price, record_watch_price.price),
    last_checked_at = record_watch_price.observed_at,
    lease_until = null,
    next_check_at = now() + make_interval(secs => every_seconds)
  where w.id = record_watch_price.watch_id
  returning w.user_id into owner;
  if not found then
    raise exception 'watch not found' using errcode = 'PT404';
  end if;
  insert into public.price_points (watch_id, user_id, observed_at, price, currency, provider)
  values (record_watch_price.watch_id, owner, record_watch_price.observed_at, record_watch_price.price,
          record_watch_price.currency, record_watch_price.provider);
end;
$$;

-- Creates a notification unless the watch has one for that day; true when created.
create function public.insert_notification(watch_id uuid, day date, price numeric, message text)
returns boolean
language sql volatile security invoker set search_path = ''
as $$
  with created as (
    insert into public.notifications (watch_id, user_id, day, price, currency, message)
    select w.id, w.user_id, insert_notification.day, insert_notification.price, w.currency, insert_notification.message
    from public.watches w where w.id = insert_notification.watch_id
    on conflict on constraint notifications_watch_id_day_key do nothing
    returning 1
  )
  select count(*) > 0 from created;
$$;

-- Closes watches whose window ended before `today`; how many.
create function public.close_expired_watches(today date)
returns integer
language sql volatile security invoker set search_path = ''
as $$
  with closed as (
    update public.watches w set status = 'closed', lease_until = null, updated_at = now()
    where w.status <> 'closed' and w.departure_to < today
    returning 1
  )
  select count(*)::integer from closed;
$$;

revoke execute on function
  public.claim_due_watches(integer, integer),
  public.record_watch_price(uuid, timestamptz, numeric, text, text, integer),
  public.insert_notification(uuid, date, numeric, text),
  public.close_expired_watches(date)
from public, anon, authenticated;
grant execute on function
  public.claim_due_watches(integer, integer),
  public.record_watch_price(uuid, timestamptz, numeric, text, text, integer),
  public.insert_notification(uuid, date, numeric, text),
  public.close_expired_watches(date)
to service_role;
