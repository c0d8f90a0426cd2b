import BulletinKit

BulletinMain.exit(with: BulletinMain.run(CommandLine.arguments))
