// The server's wire shapes (see the handlers in shared/src/api and
// shared/src/assistant/turn.rs). Keep in step with the Rust side.

export type Uuid = string
/** `YYYY-MM-DDTHH:MM:SS`, local to the airport. */
export type LocalDateTime = string
/** RFC 3339 in UTC. */
export type Instant = string

export interface ErrorBody {
  error: { code: string; message: string; field?: string | null }
}

export interface User {
  id: Uuid
  email: string
}

export interface Grant {
  user: User
  access_token: string
  token_type: string
  /** Seconds. */
  expires_in: number
  refresh_token: string
}

export interface Me {
  id: Uuid
  email: string
  session_id: Uuid
  expires_at: number
}

export interface Money {
  /** Decimal text, e.g. "1234.56". */
  amount: string
  currency: string
}

export interface Segment {
  carrier: string
  carrier_name: string
  /** The airline flying the aircraft, when a codeshare. */
  operating_carrier?: string
  flight_number: string
  origin: string
  destination: string
  departure_local: LocalDateTime
  departure_utc: Instant
  arrival_local: LocalDateTime
  arrival_utc: Instant
  duration_minutes: number
}

export interface Slice {
  origin: string
  destination: string
  departure_local: LocalDateTime
  arrival_local: LocalDateTime
  duration_minutes: number
  stops: number
  segments: Segment[]
}

export type Cabin = 'economy' | 'premium_economy' | 'business' | 'first'
export type Sort = 'best' | 'cheapest' | 'fastest'
export type TripKind = 'one_way' | 'round_trip' | 'multi_city'

export interface Offer {
  id: string
  provider: string
  slices: Slice[]
  cabin: Cabin
  fare_brand: string | null
  bags: { carry_on: number; checked: number } | null
  /** Total for every passenger, taxes included. */
  price: Money
  expires_at: Instant
}

export interface Passengers {
  adults: number
  children: number
  infants: number
}

export interface QueryLeg {
  origin: string
  destination: string
  date: string
}

export interface SearchQuery {
  trip: TripKind
  legs: QueryLeg[]
  passengers: Passengers
  cabin: Cabin
  max_stops: number | null
  currency: string
  sort: Sort
  limit: number
  /** A flexible search's departure window and stay. */
  flexible?: {
    departure_window: { from: string; to: string; shape: 'any' | 'weekend' }
    trip_days?: { min: number; max: number }
  }
  /** More places searched as origins. */
  other_origins?: string[]
}

/** How a flexible or several-origin search found its offers. */
export interface FlexibleSummary {
  cheapest_days: CheapestDay[]
  origins: string[]
  calendar_requests: number
  live_searches: number
}

/** One of the cheapest calendar days: the price for one adult and its source. */
export interface CheapestDay {
  origin: string
  date: string
  return_date?: string
  price: Money
  provider: string
  source: 'demo_model' | 'cached'
  found_at?: Instant
  live_price?: Money
  searched: boolean
}

export interface Warning {
  provider: string
  code: string
  message: string
}

export interface SearchResponse {
  query: SearchQuery
  offers: Offer[]
  warnings: Warning[]
  cached: boolean
  cache_age_seconds: number
  searched_at: Instant
  /** Absent without offers, for multi-city trips, or with price history off. */
  insight?: Insight
  flexible?: FlexibleSummary
}

/** The `offers` event and a tool message's result. */
export interface SearchRecord {
  query: SearchQuery
  offers: Offer[]
  warnings: Warning[]
  flexible?: FlexibleSummary
}

export interface SearchRequest {
  legs: QueryLeg[]
  passengers: Passengers
  cabin: Cabin
  max_stops?: number
  currency?: string
  sort: Sort
  filters?: {
    carriers?: string[]
    max_price?: string
    depart_after?: string
    depart_before?: string
  }
  limit?: number
}

export interface Place {
  code: string
  kind: 'airport' | 'city'
  name: string
  city: string
  country: string
  time_zone: string
  airports: string[]
}

export interface Conversation {
  id: Uuid
  user_id: Uuid
  title: string | null
  created_at: Instant
  updated_at: Instant
  message_count: number
}

export interface ConversationPage {
  conversations: Conversation[]
  next_cursor?: string
}

export type Role = 'user' | 'assistant' | 'tool'

export interface StoredMessage {
  id: Uuid
  conversation_id: Uuid
  seq: number
  role: Role
  content: string
  tool_calls: unknown
  tool_results: unknown
  idempotency_key?: string | null
  created_at: Instant
}

export interface ConversationDetail {
  conversation: Conversation
  messages: StoredMessage[]
}

/** The events of a streamed chat turn. */
export type ChatEvent =
  | { type: 'tool'; name: string; arguments: Record<string, unknown> }
  | { type: 'offers'; record: SearchRecord }
  | { type: 'delta'; text: string }
  /** The model failed mid-answer: the text so far is void; the offline assistant's answer follows. */
  | { type: 'fallback'; reason: string }
  | { type: 'title'; title: string }
  | { type: 'done'; conversation_id: Uuid; message_id: Uuid }
  | { type: 'error'; code: string; message: string; field?: string }

/** Today's cheapest price per traveller against comparable history. */
export interface Insight {
  /** `null` without enough history. */
  verdict: 'low' | 'typical' | 'high' | null
  price: Money
  typical_low?: Money
  typical_high?: Money
  /** How far under (low) or over (high) the typical range; zero when typical. */
  difference?: Money
  trend?: { direction: 'rising' | 'falling' | 'steady'; percent: string }
  basis: 'observed' | 'modelled' | 'none'
  observations: number
  /** `YYYY-MM-DD` of the oldest comparable price. */
  since?: string
  based_on: string
}

export type WatchStatus = 'active' | 'paused' | 'closed'

export interface Watch {
  id: Uuid
  user_id: Uuid
  /** The one-way search for the window's first date. */
  query: SearchQuery
  query_key: string
  /** Last departure date of the window (`YYYY-MM-DD`). */
  departure_to: string
  /** Notify under this total (decimal text). */
  target_price: string | null
  status: WatchStatus
  lowest_price: string | null
  last_checked_at: Instant | null
  language: string
  created_at: Instant
  updated_at: Instant
}

/** `POST /watches`: a one-way route, a window of up to 30 days, a target. */
export interface WatchRequest {
  origin: string
  destination: string
  departure: string
  departure_to?: string
  adults?: number
  children?: number
  infants?: number
  cabin?: Cabin
  max_stops?: number
  currency?: string
  target_price?: string
  language?: 'pt' | 'en'
}

/** `PATCH /watches/{id}`: pause or resume; change or remove (`null`) the target. */
export interface WatchChange {
  status?: 'active' | 'paused'
  target_price?: string | null
}

/** One price the refresh observed for a watch: the total for its passengers. */
export interface PricePoint {
  observed_at: Instant
  price: string
  currency: string
  provider: string
}

export interface Notification {
  id: Uuid
  watch_id: Uuid
  day: string
  price: string
  currency: string
  message: string
  created_at: Instant
  read_at: Instant | null
}

export interface NotificationPage {
  notifications: Notification[]
  unread: number
  next_cursor?: string
}

/** The cheapest fare one search found, per traveller. */
export interface FareObservation {
  route: {
    origin: string
    destination: string
    departure: string
    return_date: string | null
    cabin: Cabin
  }
  max_stops: number | null
  price_per_traveller: Money
  provider: string
  observed_at: Instant
}

/** `GET /prices/series` query: a one-way or round-trip route and cabin. */
export interface SeriesRequest {
  origin: string
  destination: string
  departure: string
  return?: string
  cabin: Cabin
}
