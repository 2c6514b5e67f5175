import { describe, expect, it } from 'vitest';
import { dropPairs, droppedOf, freeSubnet, namesOf, nodeAddress, rulesScript, setUpScript, shapingCommands } from './kernel-net-plan.js';

describe('kernel-net plan', () => {
  const names = namesOf('0a1b2c');

  it('names every object after the run id, interface names within the kernel limit of 15 characters', () => {
    expect([names.namespace(3), names.bridge, names.table, names.hostVeth(249)]).toEqual(['avsim-0a1b2c-3', 'avbr-0a1b2c', 'avsim_0a1b2c', 'av0a1b2c-249']);
    const { root, inside } = setUpScript(names, 7, 250);
    for (const line of [...root, ...inside.flatMap((x) => x.lines)]) {
      for (const word of line.split(' ')) if (word.startsWith('av') && !word.startsWith('avsim-')) expect(word.length).toBeLessThanOrEqual(15);
    }
    expect(() => namesOf('../etc')).toThrow('kernel-net: run id must be 6 hex digits, got "../etc"');
  });

  it('addresses node i at .i+2 of its /24 and creates, moves, names and addresses each veth end', () => {
    expect(nodeAddress(7, 0)).toBe('10.237.7.2');
    const { root, inside } = setUpScript(names, 7, 2);
    expect(root.slice(0, 3)).toEqual(['link add avbr-0a1b2c type bridge', 'addr add 10.237.7.1/24 dev avbr-0a1b2c', 'link set avbr-0a1b2c up']);
    expect(root).toContain('link set avn0a1b2c-1 netns avsim-0a1b2c-1');
    expect(inside[1]).toEqual({ namespace: 'avsim-0a1b2c-1', lines: ['link set avn0a1b2c-1 name eth0', 'addr add 10.237.7.3/24 dev eth0', 'link set eth0 up', 'link set lo up'] });
  });

  it('picks a /24 no address of the machine lies in, and none when all are taken', () => {
    expect(freeSubnet(['10.237.5.1', '127.0.0.1', '10.237.6.9'], 5)).toBe(7);
    expect(freeSubnet([], 255)).toBe(255);
    expect(freeSubnet(Array.from({ length: 256 }, (_, s) => `10.237.${s}.1`), 0)).toBeUndefined();
  });

  it('a split drops both ways between every pair of groups, a one-way grudge one way; heal empties the chain', () => {
    expect(dropPairs([{ kind: 'split', groups: [[0, 1], [2], []] }])).toEqual([
      { from: [0, 1], to: [2] },
      { from: [2], to: [0, 1] },
    ]);
    expect(dropPairs([{ kind: 'one-way', from: [3], to: [1, 2] }])).toEqual([{ from: [3], to: [1, 2] }]);
    expect(rulesScript(names, 9, [{ kind: 'split', groups: [[0], [1, 2]] }])).toBe(
      'flush chain bridge avsim_0a1b2c forward\n' +
        'add rule bridge avsim_0a1b2c forward ip saddr { 10.237.9.2 } ip daddr { 10.237.9.3, 10.237.9.4 } counter drop\n' +
        'add rule bridge avsim_0a1b2c forward ip saddr { 10.237.9.3, 10.237.9.4 } ip daddr { 10.237.9.2 } counter drop\n',
    );
    expect(rulesScript(names, 9, [])).toBe('flush chain bridge avsim_0a1b2c forward\n');
  });

  it('sums the rules\' counters from nft -j output', () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.6' } },
        { chain: { name: 'forward' } },
        { rule: { expr: [{ match: {} }, { counter: { packets: 5, bytes: 300 } }, { drop: null }] } },
        { rule: { expr: [{ counter: { packets: 2, bytes: 120 } }] } },
      ],
    });
    expect(droppedOf(json)).toEqual({ packets: 7, bytes: 420 });
  });

  it('shapes the uplink inside the namespace and the downlink on the bridge port, with a burst of at least 64 KiB', () => {
    expect(shapingCommands(names, 2, 10, 1000)).toEqual([
      ['-n', 'avsim-0a1b2c-2', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'tbf', 'rate', '10mbit', 'burst', '65536', 'latency', '5s'],
      ['qdisc', 'replace', 'dev', 'av0a1b2c-2', 'root', 'tbf', 'rate', '1000mbit', 'burst', '250000', 'latency', '5s'],
    ]);
  });
});
