extension DeviceProfile {
    private static let driver220 = "jklincn/cambricon-mlu-driver attr/cndrv_attr_mlu220.c, mcu/cndrv_mcu_info.c (reference §7)"

    /// MLU220 M.2 (MLUv02): 1 cluster × 4 cores, 500 MHz, 29.86 GB/s LPDDR4x.
    ///
    /// The EDGE/SOM boards run at 800 MHz; this profile is the M.2 card, whose 8 TOPS INT8 figure is
    /// the commonly quoted one (unverified, confidence L). INT16, FP16 and FP32 peaks are mlus's
    /// assumptions: INT8/2, INT8/4, INT8/8 (confidence L).
    public static let mlu220 = DeviceProfile(
        coreVersion: .mlu220,
        clusters: Sourced(1, source: driver220 + " MAX_CLUSTER_NUM1", confidence: .high),
        coresPerCluster: Sourced(4, source: driver220 + " (legacy core limit 4)", confidence: .high),
        validCoreNumbers: Sourced([1, 4], source: "yuanyupeng0000/CPP_2020520 clas_offline_multicore README; scripts clamp to 4 (reference §4)", confidence: .high),
        clockMHz: Sourced(500, source: "mcu/cndrv_mcu_info.c: 500 MHz M.2, 800 MHz EDGE/SOM (reference §7)", confidence: .high),
        memoryBandwidthGBps: Sourced(29.86, source: "64-bit bus at 3733 MT/s; mcu/cndrv_mcu_mlu220.c (reference §7)", confidence: .high),
        nramBytesPerCore: Sourced(512 * 1024, source: "smarsu/smnet-eager conv2d.mlu (reference §7)", confidence: .mediumHigh),
        wramBytesPerCore: Sourced(512 * 1024, source: "MAX_WRAM_SIZE 512 KB for 220 (reference §7)", confidence: .mediumHigh),
        sramBytesPerCluster: Sourced(2 * 1024 * 1024, source: "include/cndrv_mcu.h SRAM_SIZE 2MB (reference §7)", confidence: .mediumHigh),
        peakOpsPerSecond: [
            .int8: Sourced(8e12, source: "commonly quoted M.2 figure 8 TOPS INT8, unverified (reference §7)", confidence: .low),
            .int16: Sourced(4e12, source: "assumption: INT16 = INT8 / 2 (not found in sources)", confidence: .low),
            .float16: Sourced(2e12, source: "assumption: FP16 = INT8 / 4 (not found in sources)", confidence: .low),
            .float32: Sourced(1e12, source: "assumption: FP32 = INT8 / 8 (not found in sources)", confidence: .low),
        ])
}
