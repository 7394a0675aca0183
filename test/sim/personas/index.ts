/**
 * Personas: how each simulated API key behaves. Honest ones (business-hours integrations,
 * nightly batch jobs, a mobile backend, low-traffic keys) and the planted attacks
 * (slow scraper, deep pager, shared key, new-key scraper). Each factory builds a key's
 * Behaviour and says whether, and from when, it is abusive.
 */
import { businessHours } from './business-hours.js';
import { deepPager } from './deep-pager.js';
import { lowTraffic } from './low-traffic.js';
import { mobileBackend } from './mobile-backend.js';
import { newKeyScraper } from './new-key-scraper.js';
import { nightlyBatch } from './nightly-batch.js';
import type { PersonaFactory } from './persona.js';
import { sharedKey } from './shared-key.js';
import { slowScraper } from './slow-scraper.js';

export const ATTACK_KINDS = ['slow-scraper', 'deep-pager', 'shared-key', 'new-key-scraper'] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];
export type HonestPersona = 'business-hours' | 'nightly-batch' | 'mobile-backend' | 'low-traffic';
export type PersonaName = HonestPersona | AttackKind;

export const personas: Record<PersonaName, PersonaFactory> = {
  'business-hours': businessHours,
  'nightly-batch': nightlyBatch,
  'mobile-backend': mobileBackend,
  'low-traffic': lowTraffic,
  'slow-scraper': slowScraper,
  'deep-pager': deepPager,
  'shared-key': sharedKey,
  'new-key-scraper': newKeyScraper,
};

/** The honest persona an attacked key had before the attack; null for keys that are abusive from the start. */
export const BASE_PERSONA: Record<AttackKind, HonestPersona | null> = {
  'slow-scraper': 'business-hours',
  'deep-pager': 'business-hours',
  'shared-key': 'business-hours',
  'new-key-scraper': null,
};

export type { Behaviour, Persona, PersonaContext, AttackInfo } from './persona.js';
