/**
 * Personas: how each simulated API key behaves. Honest ones (business-hours integrations,
 * nightly batch jobs, a mobile backend, low-traffic keys; in the extended population also
 * back-office staff, heavy users, schedule pollers and keys onboarded mid-period) and the
 * planted attacks (slow scraper, deep pager, shared key, new-key scraper, volume-matched
 * scraper, night export, BOLA prober, injection prober). Each factory builds a key's Behaviour
 * and says whether, and from when, it is abusive.
 */
import { backOffice } from './back-office.js';
import { bolaProber } from './bola-prober.js';
import { businessHours } from './business-hours.js';
import { consumerScraper } from './consumer-scraper.js';
import { coverageScraper } from './coverage-scraper.js';
import { deepPager } from './deep-pager.js';
import { distributedScraper } from './distributed-scraper.js';
import { heavyUser } from './heavy-user.js';
import { injectionProber } from './injection-prober.js';
import { lowTraffic } from './low-traffic.js';
import { mobileBackend } from './mobile-backend.js';
import { newKeyScraper } from './new-key-scraper.js';
import { nightExport } from './night-export.js';
import { nightlyBatch } from './nightly-batch.js';
import { onboarding } from './onboarding.js';
import type { PersonaFactory } from './persona.js';
import { poller } from './poller.js';
import { sharedKey } from './shared-key.js';
import { slowScraper } from './slow-scraper.js';
import { volumeMatchedScraper } from './volume-matched-scraper.js';

/** The attack kinds `--attacks all` plants; the first four are the classic ones, planted by default. */
export const ATTACK_KINDS = [
  'slow-scraper',
  'deep-pager',
  'shared-key',
  'new-key-scraper',
  'volume-matched-scraper',
  'night-export',
  'bola-prober',
  'injection-prober',
] as const;
/**
 * Attacks that take weeks or several keys, planted only when named (the long-memory and campaign
 * run): a compromised key reading a little of one id space every day for a month, five new keys
 * reading disjoint slices of one id space from one provider, a consumer whose new keys read
 * together what none reads alone.
 */
export const CAMPAIGN_KINDS = ['coverage-scraper', 'distributed-scraper', 'consumer-scraper'] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number] | (typeof CAMPAIGN_KINDS)[number];
/** Every attack kind. */
export const ALL_ATTACK_KINDS: readonly AttackKind[] = [...ATTACK_KINDS, ...CAMPAIGN_KINDS];
/**
 * Kinds whose keys act in groups of this many (one campaign, one consumer): instance i is member
 * i % size of group floor(i / size), and the members of a group start together.
 */
export const GROUP_SIZE: Partial<Record<AttackKind, number>> = { 'distributed-scraper': 5, 'consumer-scraper': 5 };
/** Low-and-slow record enumeration, on a compromised key or the scraper's own. */
export const SCRAPER_KINDS: readonly AttackKind[] = ['slow-scraper', 'new-key-scraper', 'volume-matched-scraper'];
export const CLASSIC_HONEST = ['business-hours', 'nightly-batch', 'mobile-backend', 'low-traffic'] as const;
/** Honest personas only the extended population has. */
export const EXTENDED_HONEST = ['back-office', 'heavy-user', 'poller', 'onboarding'] as const;
export type HonestPersona = (typeof CLASSIC_HONEST)[number] | (typeof EXTENDED_HONEST)[number];
export type PersonaName = HonestPersona | AttackKind;

export const personas: Record<PersonaName, PersonaFactory> = {
  'business-hours': businessHours,
  'nightly-batch': nightlyBatch,
  'mobile-backend': mobileBackend,
  'low-traffic': lowTraffic,
  'back-office': backOffice,
  'heavy-user': heavyUser,
  poller,
  onboarding,
  'slow-scraper': slowScraper,
  'deep-pager': deepPager,
  'shared-key': sharedKey,
  'new-key-scraper': newKeyScraper,
  'volume-matched-scraper': volumeMatchedScraper,
  'night-export': nightExport,
  'bola-prober': bolaProber,
  'injection-prober': injectionProber,
  'coverage-scraper': coverageScraper,
  'distributed-scraper': distributedScraper,
  'consumer-scraper': consumerScraper,
};

/** The honest persona an attacked key had before the attack; null for keys that are abusive from the start. */
export const BASE_PERSONA: Record<AttackKind, HonestPersona | null> = {
  'slow-scraper': 'business-hours',
  'deep-pager': 'business-hours',
  'shared-key': 'business-hours',
  'new-key-scraper': null,
  'volume-matched-scraper': 'business-hours',
  'night-export': 'back-office',
  'bola-prober': 'business-hours',
  'injection-prober': 'business-hours',
  'coverage-scraper': 'business-hours',
  'distributed-scraper': null,
  // Member 0 of each group is the consumer's own honest integration; the others are its new keys.
  'consumer-scraper': 'business-hours',
};

export type { Behaviour, Persona, PersonaContext, AttackInfo, GroupContext } from './persona.js';
