import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it('reads a size in the largest unit it reaches, to about three figures', () => {
    expect(formatBytes(0)).toBe('0 KiB');
    expect(formatBytes(300)).toBe('0 KiB');
    expect(formatBytes(600)).toBe('1 KiB');
    expect(formatBytes(512 * 2 ** 10)).toBe('512 KiB');
    expect(formatBytes(2 ** 20)).toBe('1.0 MiB');
    // The tiny model's largest weight: 128256 × 64 float32.
    expect(formatBytes(128256 * 64 * 4)).toBe('31.3 MiB');
    expect(formatBytes(512 * 128256 * 4)).toBe('250.5 MiB');
    expect(formatBytes(2 ** 30)).toBe('1.00 GiB');
    expect(formatBytes(128256 * 4096 * 4)).toBe('1.96 GiB');
  });

  it('keeps one unit and precision when asked, so figures line up', () => {
    expect(formatBytes(0, { unit: 'MiB', digits: 2 })).toBe('0.00 MiB');
    expect(formatBytes(10 * 2 ** 20, { unit: 'MiB', digits: 2 })).toBe('10.00 MiB');
    expect(formatBytes(2 ** 31, { unit: 'MiB', digits: 0 })).toBe('2048 MiB');
    expect(formatBytes(1536, { unit: 'KiB', digits: 2 })).toBe('1.50 KiB');
  });

  it('signs growths, and never prints a negative zero', () => {
    expect(formatBytes(697.4 * 1024, { unit: 'KiB', signed: true })).toBe('+697 KiB');
    expect(formatBytes(-2024 * 1024, { unit: 'KiB', signed: true })).toBe('-2024 KiB');
    expect(formatBytes(100, { unit: 'KiB', signed: true })).toBe('0 KiB');
    expect(formatBytes(-100, { unit: 'KiB', signed: true })).toBe('0 KiB');
    expect(formatBytes(-3 * 2 ** 30)).toBe('-3.00 GiB');
  });
});
