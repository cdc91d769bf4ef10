import { register } from 'node:module';

register('./record-hook.mjs', import.meta.url);
