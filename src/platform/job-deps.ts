import type { Redis } from 'ioredis';
import type { AppDeps } from './deps.js';

/** What a background job needs: the app's dependencies plus Redis (for purge checks). */
export interface JobDeps extends AppDeps {
  redis: Redis;
}
