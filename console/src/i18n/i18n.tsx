import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { MESSAGES, type MessageKey } from './messages.js';

/**
 * Chinese and English UI text. The language starts from the browser's preference and can be
 * switched (remembered in localStorage); times are shown in the browser's time zone.
 */
export type Language = 'en' | 'zh';
const LANGUAGE_KEY = 'avatarforge.language';

function initialLanguage(): Language {
  const stored = localStorage.getItem(LANGUAGE_KEY);
  if (stored === 'en' || stored === 'zh') return stored;
  return (navigator.languages ?? [navigator.language]).some((tag) => tag.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey, parameters?: Record<string, string | number>): string;
  /** A message if the catalogue has `key`, else `fallback` (for API codes without a translation). */
  tOr(key: string, fallback: string): string;
  formatTime(rfc3339: string | number | undefined): string;
  /** A time of day, e.g. 10:42:17. */
  formatClock(date: Date): string;
  formatNumber(value: number): string;
  formatBytes(bytes: number): string;
  formatSeconds(seconds: number): string;
  timeZone: string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);
  const i18n = useMemo<I18n>(() => {
    const index = language === 'zh' ? 1 : 0;
    const locale = language === 'zh' ? 'zh-CN' : 'en';
    const timeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    const clockFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
    const numberFormat = new Intl.NumberFormat(locale);
    const interpolate = (text: string, parameters?: Record<string, string | number>) =>
      parameters ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in parameters ? String(parameters[name]) : whole)) : text;
    return {
      language,
      setLanguage(next) {
        localStorage.setItem(LANGUAGE_KEY, next);
        setLanguageState(next);
      },
      t: (key, parameters) => interpolate(MESSAGES[key][index], parameters),
      tOr: (key, fallback) => (key in MESSAGES ? MESSAGES[key as MessageKey][index] : fallback),
      formatTime(value) {
        if (value === undefined || value === '') return '—';
        const date = new Date(value);
        return Number.isNaN(date.getTime()) ? String(value) : timeFormat.format(date);
      },
      formatClock: (date) => clockFormat.format(date),
      formatNumber: (value) => numberFormat.format(value),
      formatBytes(bytes) {
        const units = ['B', 'KiB', 'MiB', 'GiB'];
        let value = bytes;
        let unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
          value /= 1024;
          unit++;
        }
        return `${numberFormat.format(Math.round(value * 10) / 10)} ${units[unit]}`;
      },
      formatSeconds(seconds) {
        if (seconds < 60) return interpolate(MESSAGES['unit.seconds'][index], { n: numberFormat.format(seconds) });
        const minutes = Math.floor(seconds / 60);
        return interpolate(MESSAGES['unit.minutesSeconds'][index], { m: numberFormat.format(minutes), s: numberFormat.format(Math.round(seconds % 60)) });
      },
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
  }, [language]);
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

/** The time an <input type="date"> names, as RFC 3339: the start (or end) of that day in the browser's zone. */
export function dayBoundary(day: string, edge: 'start' | 'end'): string | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T${edge === 'start' ? '00:00:00' : '23:59:59'}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
