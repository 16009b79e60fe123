-- A message may only be written into a conversation its writer owns.
--
-- The first policy on messages checked only the row's own user_id, so a
-- signed-in user with table access (Supabase exposes tables, not only
-- functions) could insert a message carrying their own user_id into another
-- user's conversation, or move one of their messages there with an update.
-- Reading and deleting still go by the denormalised owner (no join); writing
-- also checks the conversation, through its own RLS (only the caller's
-- conversations are visible), so the check cannot be used to probe others'.

drop policy messages_own on public.messages;

create policy messages_read_own on public.messages
  for select to authenticated
  using (user_id = auth.uid());

create policy messages_insert_into_own_conversation on public.messages
  for insert to authenticated
  with check (
    user_id = auth.uid()
    and exists (
      select 1 from public.conversations c
      where c.id = conversation_id and c.user_id = auth.uid()
    )
  );

create policy messages_update_within_own_conversation on public.messages
  for update to authenticated
  using (user_id = auth.uid())
  with check (
    user_id = auth.uid()
    and exists (
      select 1 from public.conversations c
      where c.id = conversation_id and c.user_id = auth.uid()
    )
  );

create policy messages_delete_own on public.messages
  for delete to authenticated
  using (user_id = auth.uid());
