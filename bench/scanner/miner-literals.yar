/*
 * Peer rules for the scanner benchmark: the literals our default rule set (policies/rules/*.yaml)
 * feeds its Aho-Corasick automaton, written as plain YARA rules with the same any/all/N-of
 * shapes and executable/size gates where YARA has them. Literal-only on purpose: the benchmark
 * compares the cost of one multi-literal pass over every file, not regex engines.
 * Wallet checksums, path globs and config-only rules have no YARA counterpart and are left out.
 * 77 literals in all: the text literals of the default rule set's file-scope rules (shell-rule regex anchors such as curl/wget/chmod are not included).
 */

private rule bench_executable
{
    condition:
        uint32(0) == 0x464c457f                    // ELF
        or uint16(0) == 0x5a4d                     // PE (MZ)
        or uint32(0) == 0xfeedfacf or uint32(0) == 0xcffaedfe
        or uint32(0) == 0xfeedface or uint32(0) == 0xcefaedfe
}

rule bench_xmrig_binary
{
    strings:
        $name_banner = "XMRig" fullword
        $name_site = "xmrig.com" nocase
        $opt_donate = "--donate-level"
        $opt_1gb_pages = "--randomx-1gb-pages"
        $opt_threads_hint = "--cpu-max-threads-hint"
        $opt_huge_jit = "--huge-pages-jit"
        $algo_rx0 = "rx/0" fullword
        $cfg_donate_proxy = "donate-over-proxy"
    condition:
        bench_executable and filesize <= 128MB
        and any of ($name_*) and 2 of ($opt_*, $algo_*, $cfg_*)
}

rule bench_xmr_stak_binary
{
    strings:
        $name = "xmr-stak" nocase
        $cfg_pool_address = "pool_address"
        $cfg_wallet_address = "wallet_address"
        $cfg_rig_id = "rig_id"
        $cfg_use_nicehash = "use_nicehash"
        $opt_no_uac = "--noUAC"
        $opt_currency = "--currency"
        $file_pools = "pools.txt"
    condition:
        bench_executable and filesize <= 128MB
        and $name and 2 of ($cfg_*, $opt_*, $file_*)
}

rule bench_cpuminer_binary
{
    strings:
        $name_cpuminer = "cpuminer" nocase
        $name_minerd = "minerd" fullword
        $opt_no_longpoll = "--no-longpoll"
        $opt_no_getwork = "--no-getwork"
        $opt_no_stratum = "--no-stratum"
        $opt_coinbase = "--coinbase-addr"
        $opt_userpass = "--userpass"
        $algo_scrypt = "scrypt" fullword
        $algo_sha256d = "sha256d" fullword
    condition:
        bench_executable and filesize <= 128MB
        and any of ($name_*) and 2 of ($opt_*, $algo_*)
}

rule bench_stratum_client_binary
{
    strings:
        $m_subscribe = "mining.subscribe"
        $m_authorize = "mining.authorize"
        $m_submit = "mining.submit"
        $m_notify = "mining.notify"
        $m_set_difficulty = "mining.set_difficulty"
        $m_extranonce = "mining.extranonce.subscribe"
    condition:
        bench_executable and filesize <= 128MB and 3 of them
}

rule bench_xmrig_config
{
    strings:
        $pools = "\"pools\""
        $url = "\"url\""
        $k_donate = "\"donate-level\""
        $k_randomx = "\"randomx\""
        $k_huge_pages = "\"huge-pages\""
        $k_donate_proxy = "\"donate-over-proxy\""
        $k_nicehash = "\"nicehash\""
        $k_rig_id = "\"rig-id\""
        $k_keepalive = "\"keepalive\""
    condition:
        filesize <= 1MB and $pools and $url and 2 of ($k_*)
}

rule bench_xmr_stak_config
{
    strings:
        $pool_list = "\"pool_list\""
        $pool_address = "\"pool_address\""
        $k_wallet = "\"wallet_address\""
        $k_password = "\"pool_password\""
        $k_nicehash = "\"use_nicehash\""
        $k_tls = "\"use_tls\""
        $k_currency = "\"currency\""
    condition:
        filesize <= 1MB and any of ($pool_*) and 2 of ($k_*)
}

rule bench_stratum_uri
{
    strings:
        $tcp = "stratum+tcp://" nocase
        $ssl = "stratum+ssl://" nocase
        $tls = "stratum+tls://" nocase
        $v1 = "stratum1+tcp://" nocase
        $v2 = "stratum2+tcp://" nocase
    condition:
        filesize <= 64MB and any of them
}

rule bench_pool_domain
{
    strings:
        $d01 = "supportxmr.com:" nocase
        $d02 = "moneroocean.stream:" nocase
        $d03 = "xmrpool.eu:" nocase
        $d04 = "minexmr.com:" nocase
        $d05 = "nanopool.org:" nocase
        $d06 = "hashvault.pro:" nocase
        $d07 = "c3pool.com:" nocase
        $d08 = "2miners.com:" nocase
        $d09 = "f2pool.com:" nocase
        $d10 = "herominers.com:" nocase
        $d11 = "unmineable.com:" nocase
        $d12 = "monerohash.com:" nocase
        $d13 = "p2pool.io:" nocase
        $d14 = "nicehash.com:" nocase
        $d15 = "kryptex.network:" nocase
        $d16 = "zergpool.com:" nocase
        $d17 = "zpool.ca:" nocase
        $d18 = "woolypooly.com:" nocase
        $d19 = "xmrfast.com:" nocase
        $d20 = "monerod.org:" nocase
    condition:
        filesize <= 64MB and any of them
}

rule bench_miner_arguments
{
    strings:
        $donate = "--donate-level" fullword
        $cpu_priority = "--cpu-priority" fullword
        $nproc = "$(nproc)"
        $coin = "--coin" fullword
    condition:
        filesize <= 4MB and ($donate or 2 of ($cpu_priority, $nproc, $coin))
}

rule bench_packed_upx
{
    strings:
        $upx = "UPX!"
    condition:
        uint32(0) == 0x464c457f and filesize <= 128MB and $upx
}
