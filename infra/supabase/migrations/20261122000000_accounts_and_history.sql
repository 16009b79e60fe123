-- Accounts, sessions, conversations and messages, with row-level security.
--
-- Choices:
-- * Every user table has RLS on. Users act as `authenticated` with their JWT
--   (PostgREST sets request.jwt.claims), so `auth.uid()` decides what they
--   see. Accounts and sessions are reached only by the auth function through
--   `service_role`, which bypasses RLS.
-- * Grants are explicit, and functions are revoked from PUBLIC first:
--   PostgreSQL lets PUBLIC execute new functions by default, and Supabase's
--   default privileges hand new objects to anon and authenticated.
-- * The data logic lives in SQL functions called over PostgREST RPC: one
--   round trip per operation, atomic in the database. They are SECURITY
--   INVOKER, so RLS applies inside them exactly as outside.
-- * Watches, price points and notifications come in a later migration; they
--   hang off accounts(id) the same way conversations do.

-- Accounts ------------------------------------------------------------------

create table public.accounts (
  id uuid primary key default gen_random_uuid(),
  -- Normalised (trimmed, lower-case) by the auth function before it gets here.
  email text not null unique check (email = lower(email) and char_length(email) between 3 and 254),
  -- argon2id PHC string; never leaves the database except to the auth function.
  password_hash text not null,
  created_at timestamptz not null default now()
);
alter table public.accounts enable row level security;
revoke all on public.accounts from public, anon, authenticated;
grant all on public.accounts to service_role;
-- A signed-in user may read their own id, e-mail and creation date (GET /auth/me).
grant select (id, email, created_at) on public.accounts to authenticated;
create policy accounts_read_own on public.accounts
  for select to authenticated using (id = auth.uid());

-- Sessions: one row per refresh token. Tokens are stored as SHA-256 hashes
-- (hex): a database leak yields nothing that can be replayed. Every session
-- descending from one login shares a family; reusing a rotated token revokes
-- the whole family (OAuth 2.0 Security BCP, refresh token rotation).
create table public.sessions (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references public.accounts (id) on delete cascade,
  family_id uuid not null,
  refresh_hash text not null unique check (refresh_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  rotated_at timestamptz,
  revoked_at timestamptz
);
create index sessions_family on public.sessions (family_id);
alter table public.sessions enable row level security;
revoke all on public.sessions from public, anon, authenticated;
grant all on public.sessions to service_role;

-- Conversations and messages --------------------------------------------------

create table public.conversations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references public.accounts (id) on delete cascade,
  title text check (char_length(title) between 1 and 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Messages so far; the next turn's first message gets message_count + 1.
  message_count integer not null default 0
);
-- Serves the history list: a user's conversations, newest first, keyset-paginated.
create index conversations_recent on public.conversations (user_id, updated_at desc, id desc);
alter table public.conversations enable row level security;
revoke all on public.conversations from public, anon, authenticated;
grant select, insert, update, delete on public.conversations to authenticated;
grant all on public.conversations to service_role;
create policy conversations_own on public.conversations
  for all to authenticated
  using (user_id = auth.uid())
  with check (user_id = auth.uid());

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  -- Denormalised owner, so the policy needs no join.
  user_id uuid not null default auth.uid() references public.accounts (id) on delete cascade,
  -- Position in the conversation, from 1, without gaps.
  seq integer not null check (seq > 0),
  role text not null check (role in ('user', 'assistant', 'tool')),
  content text not null default '' check (char_length(content) <= 16000),
  tool_calls jsonb,
  tool_results jsonb,
  -- The client's Idempotency-Key of the turn this message belongs to.
  idempotency_key text check (char_length(idempotency_key) between 1 and 200),
  created_at timestamptz not null default now(),
  unique (conversation_id, seq)
);
create index messages_idempotency on public.messages (user_id, idempotency_key) where idempotency_key is not null;
alter table public.messages enable row level security;
revoke all on public.messages from public, anon, authenticated;
grant select, insert, update, delete on public.messages to authenticated;
grant all on public.messages to service_role;
create policy messages_own on public.messages
  for all to authenticated
  using (user_id = auth.uid())
  with check (user_id = auth.uid());

-- History functions (authenticated; RLS applies) --------------------------------

-- Errors use PostgREST's PTnnn codes, which it answers with HTTP status nnn:
-- PT404 for "no such conversation", whether it is missing or another user's.

create function public.create_conversation(title text default null)
returns public.conversations
language sql volatile security invoker set search_path = ''
as $$
  insert into public.conversations (title) values (create_conversation.title) returning *;
$$;

-- Appends one turn (a user message, tool calls and results, the answer)
-- atomically. Concurrent turns on one conversation queue on the row lock
-- and each gets the next positions; none is lost. A retried turn (same
-- idempotency key) returns the messages it stored the first time.
create function public.append_turn(conversation_id uuid, messages jsonb, idempotency_key text default null)
returns setof public.messages
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  conv public.conversations;
  n integer;
begin
  if jsonb_typeof(append_turn.messages) is distinct from 'array' or jsonb_array_length(append_turn.messages) = 0 then
    raise exception 'messages must be a non-empty array' using errcode = '22023';
  end if;
  select * into conv from public.conversations c where c.id = append_turn.conversation_id for update;
  if not found then
    raise exception 'conversation not found' using errcode = 'PT404';
  end if;
  -- Checked under the lock, so two concurrent retries cannot both insert.
  if append_turn.idempotency_key is not null then
    return query
      select * from public.messages m
      where m.user_id = conv.user_id and m.idempotency_key = append_turn.idempotency_key
      order by m.seq;
    if found then
      return;
    end if;
  end if;
  n := jsonb_array_length(append_turn.messages);
  insert into public.messages (conversation_id, user_id, seq, role, content, tool_calls, tool_results, idempotency_key)
  select conv.id, conv.user_id, conv.message_count + t.ord, t.m ->> 'role', coalesce(t.m ->> 'content', ''),
         t.m -> 'tool_calls', t.m -> 'tool_results', append_turn.idempotency_key
  from jsonb_array_elements(append_turn.messages) with ordinality as t (m, ord);
  update public.conversations c set message_count = c.message_count + n, updated_at = now() where c.id = conv.id;
  return query
    select * from public.messages m
    where m.conversation_id = conv.id and m.seq > conv.message_count
    order by m.seq;
end;
$$;

-- Starts a conversation with its first turn, atomically: a conversation
-- never exists without the turn that opened it. A retried first turn (same
-- idempotency key) returns what the first attempt stored.
create function public.start_conversation(title text, messages jsonb, idempotency_key text default null)
returns jsonb
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  conv public.conversations;
  earlier uuid;
begin
  if start_conversation.idempotency_key is not null then
    -- Serialise first turns per user and key, so concurrent retries see each other.
    perform pg_advisory_xact_lock(hashtextextended(auth.uid()::text || start_conversation.idempotency_key, 0));
    select m.conversation_id into earlier from public.messages m
    where m.user_id = auth.uid() and m.idempotency_key = start_conversation.idempotency_key
    limit 1;
    if found then
      return public.get_conversation(earlier);
    end if;
  end if;
  insert into public.conversations (title) values (start_conversation.title) returning * into conv;
  perform public.append_turn(conv.id, start_conversation.messages, start_conversation.idempotency_key);
  return public.get_conversation(conv.id);
end;
$$;

-- The turn a client stored under an idempotency key, if any: its
-- conversation and only that turn's messages (null when there is none).
create function public.turn_by_idempotency_key(idempotency_key text)
returns jsonb
language sql stable security invoker set search_path = ''
as $$
  select jsonb_build_object(
    'conversation', to_jsonb(c),
    'messages', (select jsonb_agg(to_jsonb(m) order by m.seq) from public.messages m
                 where m.conversation_id = c.id and m.idempotency_key = turn_by_idempotency_key.idempotency_key))
  from public.conversations c
  where c.id = (select m.conversation_id from public.messages m
                where m.user_id = auth.uid() and m.idempotency_key = turn_by_idempotency_key.idempotency_key
                limit 1);
$$;

-- A user's conversations, newest first. Keyset pagination: pass the last
-- row's (updated_at, id) to get the next page; stable under concurrent writes.
create function public.list_conversations(
  page_size integer default 20,
  before_updated_at timestamptz default null,
  before_id uuid default null
)
returns setof public.conversations
language sql stable security invoker set search_path = ''
as $$
  select * from public.conversations c
  where before_updated_at is null
     or (c.updated_at, c.id) < (list_conversations.before_updated_at, coalesce(list_conversations.before_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid))
  order by c.updated_at desc, c.id desc
  limit least(greatest(coalesce(page_size, 20), 1), 100);
$$;

-- One conversation and its messages in order.
create function public.get_conversation(id uuid)
returns jsonb
language plpgsql stable security invoker set search_path = ''
as $$
declare
  conv public.conversations;
begin
  select * into conv from public.conversations c where c.id = get_conversation.id;
  if not found then
    raise exception 'conversation not found' using errcode = 'PT404';
  end if;
  return jsonb_build_object(
    'conversation', to_jsonb(conv),
    'messages', coalesce(
      (select jsonb_agg(to_jsonb(m) order by m.seq) from public.messages m where m.conversation_id = conv.id),
      '[]'::jsonb)
  );
end;
$$;

create function public.rename_conversation(id uuid, title text)
returns public.conversations
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  conv public.conversations;
begin
  update public.conversations c set title = rename_conversation.title, updated_at = now()
  where c.id = rename_conversation.id
  returning * into conv;
  if not found then
    raise exception 'conversation not found' using errcode = 'PT404';
  end if;
  return conv;
end;
$$;

create function public.delete_conversation(id uuid)
returns void
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  delete from public.conversations c where c.id = delete_conversation.id;
  if not found then
    raise exception 'conversation not found' using errcode = 'PT404';
  end if;
end;
$$;

revoke execute on function
  public.turn_by_idempotency_key(text),
  public.start_conversation(text, jsonb, text),
  public.create_conversation(text),
  public.append_turn(uuid, jsonb, text),
  public.list_conversations(integer, timestamptz, uuid),
  public.get_conversation(uuid),
  public.rename_conversation(uuid, text),
  public.delete_conversation(uuid)
from public, anon;
grant execute on function
  public.turn_by_idempotency_key(text),
  public.start_conversation(text, jsonb, text),
  public.create_conversation(text),
  public.append_turn(uuid, jsonb, text),
  public.list_conversations(integer, timestamptz, uuid),
  public.get_conversation(uuid),
  public.rename_conversation(uuid, text),
  public.delete_conversation(uuid)
to authenticated, service_role;

-- Account and session functions (service_role only) ----------------------------

create function public.create_account(email text, password_hash text)
returns public.accounts
language sql volatile security invoker set search_path = ''
as $$
  insert into public.accounts (email, password_hash) values (create_account.email, create_account.password_hash) returning *;
$$;

create function public.account_by_email(email text)
returns setof public.accounts
language sql stable security invoker set search_path = ''
as $$
  select * from public.accounts a where a.email = account_by_email.email;
$$;

create function public.create_session(account_id uuid, family_id uuid, refresh_hash text, expires_at timestamptz)
returns public.sessions
language sql volatile security invoker set search_path = ''
as $$
  insert into public.sessions (account_id, family_id, refresh_hash, expires_at)
  values (create_session.account_id, create_session.family_id, create_session.refresh_hash, create_session.expires_at)
  returning *;
$$;

-- Exchanges a refresh token for a new one. Returns {status, session}:
-- 'rotated' with the new session and its account's e-mail; 'reused' when the token was already
-- exchanged (the whole family is revoked, and that revocation commits);
-- 'revoked', 'expired' or 'unknown' otherwise.
create function public.rotate_session(refresh_hash text, new_refresh_hash text, expires_at timestamptz)
returns jsonb
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  old public.sessions;
  fresh public.sessions;
begin
  select * into old from public.sessions s where s.refresh_hash = rotate_session.refresh_hash for update;
  if not found then
    return jsonb_build_object('status', 'unknown');
  end if;
  if old.revoked_at is not null then
    return jsonb_build_object('status', 'revoked');
  end if;
  if old.rotated_at is not null then
    update public.sessions s set revoked_at = now() where s.family_id = old.family_id and s.revoked_at is null;
    return jsonb_build_object('status', 'reused', 'family_id', old.family_id);
  end if;
  if old.expires_at <= now() then
    return jsonb_build_object('status', 'expired');
  end if;
  update public.sessions s set rotated_at = now() where s.id = old.id;
  insert into public.sessions (account_id, family_id, refresh_hash, expires_at)
  values (old.account_id, old.family_id, rotate_session.new_refresh_hash, rotate_session.expires_at)
  returning * into fresh;
  return jsonb_build_object(
    'status', 'rotated',
    'session', to_jsonb(fresh),
    'email', (select a.email from public.accounts a where a.id = fresh.account_id));
end;
$$;

-- Revokes every session of a family (logout). True when any was active.
create function public.revoke_family(family_id uuid)
returns boolean
language sql volatile security invoker set search_path = ''
as $$
  with revoked as (
    update public.sessions s set revoked_at = now()
    where s.family_id = revoke_family.family_id and s.revoked_at is null
    returning 1
  )
  select count(*) > 0 from revoked;
$$;

-- Whether a session (the `sid` claim of an access token) is still active.
create function public.session_active(id uuid)
returns boolean
language sql stable security invoker set search_path = ''
as $$
  select exists (
    select 1 from public.sessions s
    where s.id = session_active.id and s.revoked_at is null and s.expires_at > now()
  );
$$;

revoke execute on function
  public.create_account(text, text),
  public.account_by_email(text),
  public.create_session(uuid, uuid, text, timestamptz),
  public.rotate_session(text, text, timestamptz),
  public.revoke_family(uuid),
  public.session_active(uuid)
from public, anon, authenticated;
grant execute on function
  public.create_account(text, text),
  public.account_by_email(text),
  public.create_session(uuid, uuid, text, timestamptz),
  public.rotate_session(text, text, timestamptz),
  public.revoke_family(uuid),
  public.session_active(uuid)
to service_role;
