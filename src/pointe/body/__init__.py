"""The dancer's body: the SMPL skeleton, bone lengths by height, forward kinematics."""
