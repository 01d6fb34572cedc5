import { CallbackAddressPolicy, literalIpOf } from './callback-address-policy';

describe('CallbackAddressPolicy', () => {
  const defaults = new CallbackAddressPolicy();

  describe('always refuses, whatever the configuration', () => {
    it.each([
      ['169.254.169.254', 'link-local'],
      ['169.254.0.1', 'link-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['febf::1', 'link-local'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['::', 'unspecified'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['ff02::1', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['::ffff:a9fe:a9fe', 'link-local'],
      ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local'],
      ['::ffff:0.0.0.0', 'unspecified'],
    ])('%s (%s)', (ip, name) => {
      expect(defaults.refusedBy(ip)).toBe(`the always-refused ${name} networks`);
    });

    it('even when CALLBACK_ALLOW_NETWORKS covers it: allow entries only make exceptions to the deny list', () => {
      const policy = new CallbackAddressPolicy([], ['169.254.0.0/16', '0.0.0.0/0', '::/0']);
      expect(policy.refusedBy('169.254.169.254')).toBe('the always-refused link-local networks');
      expect(policy.refusedBy('::ffff:169.254.169.254')).toBe('the always-refused link-local networks');
    });
  });

  it.each(['127.0.0.1', '::1', '10.1.2.3', '192.168.0.10', '172.16.5.4', 'fd00::1', '93.184.215.14', '2606:2800::1', '::ffff:127.0.0.1'])(
    'allows %s by default: self-hosted callbacks usually go to internal services',
    (ip) => {
      expect(defaults.refusedBy(ip)).toBeNull();
    },
  );

  describe('CALLBACK_DENY_NETWORKS and CALLBACK_ALLOW_NETWORKS', () => {
    const policy = new CallbackAddressPolicy(['127.0.0.0/8', '::1/128', '10.0.0.0/8'], ['127.0.0.1/32', '10.9.0.0/16']);

    it.each([
      ['127.0.0.2', 'CALLBACK_DENY_NETWORKS'],
      ['::1', 'CALLBACK_DENY_NETWORKS'],
      ['10.1.2.3', 'CALLBACK_DENY_NETWORKS'],
      ['::ffff:10.1.2.3', 'CALLBACK_DENY_NETWORKS'],
      ['::ffff:7f00:2', 'CALLBACK_DENY_NETWORKS'],
      ['127.0.0.1', null],
      ['::ffff:127.0.0.1', null],
      ['10.9.8.7', null],
      ['192.168.1.1', null],
    ])('%s → %p', (ip, expected) => {
      expect(policy.refusedBy(ip)).toBe(expected);
    });

    it('apply an IPv6 entry for mapped addresses to their IPv4 form too', () => {
      const mappedDeny = new CallbackAddressPolicy(['::ffff:10.0.0.0/104']);
      expect(mappedDeny.refusedBy('10.1.2.3')).toBe('CALLBACK_DENY_NETWORKS');
      expect(mappedDeny.refusedBy('::ffff:10.1.2.3')).toBe('CALLBACK_DENY_NETWORKS');
    });

    it('take a bare address as a network of one', () => {
      const single = new CallbackAddressPolicy(['192.168.1.5']);
      expect([single.refusedBy('192.168.1.5'), single.refusedBy('192.168.1.6')]).toEqual(['CALLBACK_DENY_NETWORKS', null]);
    });

    it('read them from the configuration', () => {
      const fromConfig = CallbackAddressPolicy.fromConfig({ CALLBACK_DENY_NETWORKS: ['10.0.0.0/8'], CALLBACK_ALLOW_NETWORKS: ['10.0.0.1'] });
      expect([fromConfig.refusedBy('10.0.0.2'), fromConfig.refusedBy('10.0.0.1')]).toEqual(['CALLBACK_DENY_NETWORKS', null]);
    });
  });

  it('refuses what is not an IP address at all (the guard only ever passes resolved addresses)', () => {
    expect(defaults.refusedBy('localhost')).toMatch(/not an IP address/);
  });

  describe('literalAddressProblem (define time)', () => {
    const policy = new CallbackAddressPolicy(['127.0.0.0/8']);

    it.each([
      ['http://169.254.169.254/latest/meta-data', 'the always-refused link-local networks: 169.254.169.254 (call another address)'],
      ['http://[::ffff:169.254.169.254]/', 'the always-refused link-local networks: ::ffff:a9fe:a9fe (call another address)'],
      ['http://2852039166/', 'the always-refused link-local networks: 169.254.169.254 (call another address)'],
      ['http://0xa9.0xfe.0xa9.0xfe/', 'the always-refused link-local networks: 169.254.169.254 (call another address)'],
      ['https://127.0.0.1:8443/hook', 'CALLBACK_DENY_NETWORKS: 127.0.0.1 (call another address, or make an exception with CALLBACK_ALLOW_NETWORKS)'],
    ])('refuses %s naming the policy and what to fix', (address, message) => {
      expect(policy.literalAddressProblem(address)).toBe(`address: callback address refused by ${message}`);
    });

    it('names the field it is given', () => {
      expect(policy.literalAddressProblem('http://127.0.0.1/', 'target.address')).toMatch(/^target\.address: callback address refused/);
    });

    it.each(['http://localhost/', 'http://metadata.google.internal/', 'http://192.168.1.1/', 'not a url', 42, undefined])(
      'leaves %p alone: names resolve when the callback fires, bad addresses are the address rule’s to report',
      (address) => {
        expect(policy.literalAddressProblem(address)).toBeNull();
      },
    );
  });

  it('literalIpOf unwraps IPv6 brackets and ignores names', () => {
    expect([literalIpOf('http://[::1]:80/'), literalIpOf('http://10.0.0.1/'), literalIpOf('http://example.com/')]).toEqual(['::1', '10.0.0.1', null]);
  });
});
